using VpnMasq.Actors.Ingress;
using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Actors.Tests.Ingress;

// DESIGN §1: activity is reported to owners in batches. The recorder reports each flow's latest frame time
// once, and forgets flows that saw nothing since, so it holds only the flows in use.
public sealed class ActivityRecorderTests
{
    private const uint PeerA = 0xC6336401;
    private const uint PeerB = 0xC6336402;
    private static readonly EstablishedFlow Sa = new(FlowKind.Esp, 0x0A000002, OutboundKey: 0x1001, InboundKey: 0x2001);
    private static readonly EstablishedFlow Udp = new(FlowKind.Port, 0x0A000003, 17, 5000, 53, 5000);

    private readonly ActivityRecorder _recorder = new();

    [Fact]
    public void Drain_ReportsTheLatestTimeOfEachFlow_GroupedByPeer()
    {
        _recorder.Record(PeerA, Sa, At(1));
        _recorder.Record(PeerA, Sa, At(2));
        _recorder.Record(PeerA, Udp, At(3));
        _recorder.Record(PeerB, Sa, At(4));

        var batches = _recorder.Drain();

        Assert.Equal([PeerA, PeerB], batches.Keys.Order());
        Assert.Equal([(Sa, At(2)), (Udp, At(3))], batches[PeerA].OrderBy(f => f.At));
        Assert.Equal([(Sa, At(4))], batches[PeerB]);
    }

    [Fact]
    public void FlowIdleSinceItWasReported_IsNotReportedAgain_AndIsForgotten()
    {
        _recorder.Record(PeerA, Sa, At(1));
        _recorder.Drain();

        var second = _recorder.Drain();

        Assert.Empty(second);
        Assert.Equal(0, _recorder.Count);
        Assert.Empty(_recorder.Drain());
    }

    [Fact]
    public void FlowSeenAgainAfterItWasReported_IsReportedAgain()
    {
        _recorder.Record(PeerA, Sa, At(1));
        _recorder.Record(PeerA, Udp, At(1));
        _recorder.Drain();

        _recorder.Record(PeerA, Sa, At(5));
        var second = _recorder.Drain();

        Assert.Equal([(Sa, At(5))], Assert.Single(second).Value);
        Assert.Equal(1, _recorder.Count); // the idle UDP flow is forgotten, the SA kept for the next round
    }

    [Fact]
    public void FlowSeenAgainAfterItWasForgotten_IsReportedAgain()
    {
        _recorder.Record(PeerA, Sa, At(1));
        _recorder.Drain();
        _recorder.Drain();

        _recorder.Record(PeerA, Sa, At(1));

        Assert.Equal([(Sa, At(1))], Assert.Single(_recorder.Drain()).Value);
    }

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);
}
