using Akka.Actor;
using VpnMasq.Actors.Ingress;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Ingress;

// DESIGN §1: a frame of an established flow is translated on the node that captured it, from its flow cache;
// every other frame (new flow, initial ESP, state changes) waits for the owner's verdict. Either way the bytes
// are those the whole gateway as one pure object would send. Each test talks to its own remote peer.
public sealed class IngressPipelineTests(SingleNodeGateway gateway) : IClassFixture<SingleNodeGateway>
{
    [Fact]
    public async Task SaFrames_AreDecidedByTheOwner_UntilTheSaIsPublished_ThenByTheFlowCache()
    {
        uint peer = Ipv4Address.Parse("203.0.113.10");
        var reference = new ReferenceGateway(gateway.Options);

        await AssertDecidedAsync(reference, new(EspFrame(InsideA, peer, 0x1001), Direction.Outbound, At(1)), DecisionSource.Owner);
        await AssertDecidedAsync(reference, new(EspFrame(peer, Public, 0x2001), Direction.Inbound, At(2)), DecisionSource.Owner);
        await gateway.AwaitCachedAsync(peer, 1);

        await AssertDecidedAsync(reference, new(EspFrame(InsideA, peer, 0x1001, 2), Direction.Outbound, At(3)), DecisionSource.FlowCache);
        await AssertDecidedAsync(reference, new(EspFrame(peer, Public, 0x2001, 2), Direction.Inbound, At(4)), DecisionSource.FlowCache);
    }

    [Fact]
    public async Task TcpFin_OnAConnectionTheCacheTranslates_StillGoesToTheOwner()
    {
        uint peer = Ipv4Address.Parse("203.0.113.11");
        var reference = new ReferenceGateway(gateway.Options);
        await AssertDecidedAsync(reference, new(TcpFrame(InsideA, 4000, peer, 80, TcpFlags.Syn, 100), Direction.Outbound, At(1)), DecisionSource.Owner);
        await AssertDecidedAsync(reference, new(TcpFrame(peer, 80, Public, 4000, TcpFlags.Syn | TcpFlags.Ack, 900, 101), Direction.Inbound, At(2)),
            DecisionSource.Owner);
        await gateway.AwaitCachedAsync(peer, 1);
        await AssertDecidedAsync(reference, new(TcpFrame(InsideA, 4000, peer, 80, TcpFlags.Psh | TcpFlags.Ack, 101, 901, [1, 2, 3]), Direction.Outbound, At(3)),
            DecisionSource.FlowCache);

        await AssertDecidedAsync(reference, new(TcpFrame(InsideA, 4000, peer, 80, TcpFlags.Fin | TcpFlags.Ack, 104, 901), Direction.Outbound, At(4)),
            DecisionSource.Owner);

        var mapping = Assert.Single((await gateway.TableAsync(peer)).Table.Ports);
        Assert.Equal((TcpMappingState.Closing, true, false), (mapping.State, mapping.FinFromInside, mapping.FinFromRemote));
    }

    [Fact]
    public async Task CacheHit_IsReportedToTheOwner_AndMovesItsEntrysLastSeen()
    {
        uint peer = Ipv4Address.Parse("203.0.113.12");
        var reference = new ReferenceGateway(gateway.Options);
        await AssertDecidedAsync(reference, new(EspFrame(InsideA, peer, 0x1001), Direction.Outbound, At(1)), DecisionSource.Owner);
        await AssertDecidedAsync(reference, new(EspFrame(peer, Public, 0x2001), Direction.Inbound, At(2)), DecisionSource.Owner);
        await gateway.AwaitCachedAsync(peer, 1);
        await AssertDecidedAsync(reference, new(EspFrame(InsideA, peer, 0x1001, 2), Direction.Outbound, At(100)), DecisionSource.FlowCache);
        Assert.Equal(At(2), Assert.Single((await gateway.TableAsync(peer)).Table.Esp).LastSeen); // the owner saw nothing yet

        await gateway.Reporter.Ask(ActivityReporter.FlushNow.Instance, TimeSpan.FromSeconds(20));

        await gateway.AwaitAssertAsync(async () =>
        {
            var table = (await gateway.TableAsync(peer)).Table;
            Assert.Equal(At(100), Assert.Single(table.Esp).LastSeen);
            Assert.Equal(At(100), table.LastActivity);
        }, TimeSpan.FromSeconds(30));
    }

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>The pipeline decides the frame where <paramref name="source"/> says, with the verdict and bytes of the reference gateway.</summary>
    private async Task AssertDecidedAsync(ReferenceGateway reference, TrafficFrame traffic, DecisionSource source)
    {
        var expected = reference.Decide(traffic);
        var (decision, frame) = await gateway.DecideAsync(traffic);
        Assert.Equal(source, decision.Source);
        Assert.Equal(VerdictAction.Forward, decision.Verdict.Action);
        Assert.Equal(expected.Verdict, decision.Verdict);
        Assert.Equal(expected.Frame, frame);
    }
}
