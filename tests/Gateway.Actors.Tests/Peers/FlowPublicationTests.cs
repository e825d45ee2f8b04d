using Akka.Actor;
using VpnMasq.Actors.Flows;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Masquerade.Events;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Peers;

// DESIGN §1 "Established flows never wait for an owner": the owner tells every node's flow cache what it may
// translate, and only what its journal holds: a flow is published after the events that established it. The
// test system serializes every message, so the PublishFlows a probe receives has crossed a serializer.
public sealed class FlowPublicationTests : PeerActorTestKit
{
    [Fact]
    public async Task AssociatedEspSa_IsPublished_OnceItsEventIsJournaled()
    {
        var flows = CreateTestProbe();
        var peer = StartPeer(flows);
        await DecideAsync(peer, EspSa.Initial);
        await flows.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300)); // an outstanding SA is no flow a cache may use

        await DecideAsync(peer, EspSa.Reply);

        var published = await flows.ExpectMsgAsync<PublishFlows>(Timeout);
        var journal = await Persistence.EventsAsync(PersistenceId);
        Assert.IsType<EspSpiAssociated>(journal[^1].Event);
        Assert.Equal(Remote, published.Peer);
        Assert.Equal([EspSa.Flow], published.Flows);
    }

    [Fact]
    public async Task RecoveredPeer_PublishesItsEstablishedFlows()
    {
        var peer = StartPeer(CreateTestProbe());
        await DecideAsync(peer, EspSa.Initial);
        await DecideAsync(peer, EspSa.Reply);
        await StopAsync(peer);
        var flows = CreateTestProbe();

        StartPeer(flows);

        Assert.Equal([EspSa.Flow], (await flows.ExpectMsgAsync<PublishFlows>(Timeout)).Flows);
    }

    [Fact]
    public async Task RecoveredPeer_WhoseFlowsHaveEnded_PublishesAnEmptySet_SoStaleCacheEntriesAreRetracted()
    {
        var peer = StartPeer(CreateTestProbe());
        await DecideAsync(peer, EspSa.Initial);
        await DecideAsync(peer, EspSa.Reply);
        peer.Tell(new VpnMasq.Actors.Peers.SweepPeer(Remote, SweepTests.SaExpired)); // the SA ends and is journaled...
        await AwaitAssertAsync(async () => Assert.IsType<EspEntryRemoved>((await Persistence.EventsAsync(PersistenceId))[^1].Event), Timeout);
        await StopAsync(peer); // ...but say the retraction never left the node that died
        var flows = CreateTestProbe();

        StartPeer(flows);

        var published = await flows.ExpectMsgAsync<PublishFlows>(Timeout);
        Assert.Equal(Remote, published.Peer);
        Assert.Empty(published.Flows);
    }
}
