using Akka.Actor;
using VpnMasq.Actors.Flows;
using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Tests.Support;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Peers;

// A peer left with nothing asks its shard to passivate it (DESIGN §1: idle peers cost no memory). The Shard
// answers Passivate by sending the stop message (a PoisonPill) at once, and a PoisonPill does not wait for a
// persist in flight: were Passivate asked for before the expiries are journaled, the actor could stop before
// publishing the retraction, and every node's cache would keep translating the expired SA.
// (No message serialization here: the TestKit's delaying journal interceptor does not survive it.)
public sealed class PassivationTests() : PeerActorTestKit(serializeMessages: false)
{
    [Fact]
    public async Task SweepThatEmptiesThePeer_RetractsItsFlows_BeforeAskingToPassivate()
    {
        var events = CreateTestProbe();
        Sys.ActorOf(ShardStandIn.Props(PeerActor.Props(PeerId, new VpnMasq.Protocols.Masquerade.LiveSettings(Masquerade), Quiet, events.Ref), events.Ref));
        var peer = (await events.ExpectMsgAsync<ShardStandIn.EntityStarted>(Timeout)).Entity;
        await DecideAsync(peer, EspSa.Initial);
        await DecideAsync(peer, EspSa.Reply);
        Assert.Equal([EspSa.Flow], (await events.ExpectMsgAsync<PublishFlows>(Timeout)).Flows);
        await Persistence.Journal.OnWrite.PassWithDelay(TimeSpan.FromMilliseconds(300)); // a journal that takes its time

        peer.Tell(new SweepPeer(Remote, SweepTests.SaExpired));

        Assert.Empty((await events.ExpectMsgAsync<PublishFlows>(Timeout)).Flows);
        await events.ExpectMsgAsync<ShardStandIn.PassivateRequested>(Timeout);
    }
}
