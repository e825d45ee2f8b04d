using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade;

/// <summary>
/// The front's share of the hot path (tests/Gateway.Benchmarks' *_WithFront): intake, the chains, the router's
/// refusals, then the output side's MTU check, for a frame that is forwarded as it came. It must allocate nothing:
/// a closure in the MTU check once cost 32 B per forwarded frame, and only the benchmark saw it.
/// </summary>
public sealed class FrontAllocationTests
{
    private const int Iterations = 1000;

    [Theory]
    [InlineData(Direction.Outbound)]
    [InlineData(Direction.Inbound)]
    public void FrontAroundADecision_OfAFrameThatFits_AllocatesNothing(Direction direction)
    {
        var front = new SingleProcessGateway(new MasqueradeOptions { PublicAddress = Public, Rules = ["-A forward -j MASQ -s 10.0.0.0/8"] });
        var original = direction == Direction.Outbound ? EspFrame(InsideA, Remote, 0x1001) : EspFrame(Remote, Public, 0x2002);
        var frame = original.ToArray();

        for (int i = 0; i < Iterations; i++)
            Assert.Equal(VerdictAction.Forward, PassThroughFront(front, frame, original, direction));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
            PassThroughFront(front, frame, original, direction);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static VerdictAction PassThroughFront(SingleProcessGateway front, byte[] frame, byte[] original, Direction direction)
    {
        original.AsSpan().CopyTo(frame);
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        if (front.Front.Prepare(frame, d, direction, TimeSpan.Zero, out var request) is { } early)
            return early.Action;
        var side = direction == Direction.Outbound ? Side.Outside : Side.Inside;
        return front.Front.Complete(request, Verdict.Send(ProtocolLabel.Esp, request.Peer, InsideA, side)).Action;
    }
}
