using Akka.Actor;
using VpnMasq.Actors.Flows;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Flows;

// DESIGN §1 "Established flows never wait for an owner": the flows an owner publishes on its node reach every
// other node's flow cache, which then translates their frames exactly as the owner would; a retraction takes
// them out everywhere.
public sealed class FlowReplicationAcrossNodesTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FlowsPublishedOnOneNode_TranslateFramesOnTheOther_AsTheOwnerWould()
    {
        uint peer = Ipv4Address.Parse("203.0.113.1");
        var owner = EstablishedSa(peer);
        var flows = owner.State.EstablishedFlows();

        cluster.A.Replicator.Tell(new PublishFlows(peer, flows), ActorRefs.NoSender);

        await cluster.AwaitAssertAsync(() => Assert.Equal(flows, cluster.B.Index.FlowsOf(peer)), Timeout);
        foreach (var next in new TrafficFrame[]
                 {
                     new(EspFrame(peer, Public, 0x2001, 2), Direction.Inbound, TimeSpan.FromSeconds(10)),
                     new(EspFrame(InsideA, peer, 0x1001, 2), Direction.Outbound, TimeSpan.FromSeconds(11)),
                 })
        {
            var expected = owner.Decide(next);
            var frame = next.Frame.ToArray();
            Assert.True(cluster.B.Index.TryTranslate(frame, Dissect(frame), next.Direction, peer, Public, out var verdict, out _));
            Assert.Equal(expected.Verdict, verdict);
            Assert.Equal(expected.Frame, frame);
        }
    }

    [Fact]
    public async Task RetractionOnOneNode_TakesTheFlowsOutOfTheOther()
    {
        uint peer = Ipv4Address.Parse("203.0.113.2");
        var flows = EstablishedSa(peer).State.EstablishedFlows();
        cluster.A.Replicator.Tell(new PublishFlows(peer, flows), ActorRefs.NoSender);
        await cluster.AwaitAssertAsync(() => Assert.Equal(flows, cluster.B.Index.FlowsOf(peer)), Timeout);

        cluster.A.Replicator.Tell(new PublishFlows(peer, []), ActorRefs.NoSender);

        await cluster.AwaitAssertAsync(() => Assert.Empty(cluster.B.Index.FlowsOf(peer)), Timeout);
        var frame = EspFrame(peer, Public, 0x2001, 2);
        var untouched = frame.ToArray();
        Assert.False(cluster.B.Index.TryTranslate(frame, Dissect(frame), Direction.Inbound, peer, Public, out _, out _));
        Assert.Equal(untouched, frame);
        Assert.Empty(cluster.A.Index.FlowsOf(peer));
    }

    /// <summary>A pure owner of <paramref name="peer"/> holding one ESP SA: the initial packet, then its reply.</summary>
    private static ReferencePeer EstablishedSa(uint peer)
    {
        var owner = new ReferencePeer(MixedTraffic.Settings(), peer);
        owner.Decide(new(EspFrame(InsideA, peer, 0x1001), Direction.Outbound, TimeSpan.FromSeconds(1)));
        owner.Decide(new(EspFrame(peer, Public, 0x2001), Direction.Inbound, TimeSpan.FromSeconds(2)));
        Assert.Single(owner.State.EstablishedFlows());
        return owner;
    }
}
