using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade;

// The gateway forwards as a router (RFC 1812 §5.3.1), in every path a frame can take: TTL down by one with the
// header checksum updated, and a datagram whose TTL would reach 0 is not forwarded (dropped, ttl-exceeded).
public sealed class RouterForwardingTests
{
    private const int TtlOffset = 14 + Ipv4Header.TtlOffset;

    [Fact]
    public void ForwardedFrame_LeavesWithItsTtlOneLower_AndValidChecksums()
    {
        var gateway = GatewayUnderTest.Create();
        var frame = UdpFrame(InsideA, 5000, Remote, 53, [1, 2, 3]);

        var sent = gateway.Send(frame).Outside; // Send checks the checksums of what leaves

        Assert.Equal(frame[TtlOffset] - 1, sent[TtlOffset]);
    }

    [Fact]
    public void FrameWithTtlOne_IsDroppedTtlExceeded_OpensNoMapping_AndOnlyTimeExceededGoesBack()
    {
        var gateway = GatewayUnderTest.Create();
        var frame = UdpFrame(InsideA, 5000, Remote, 53, [1, 2, 3]);
        frame[TtlOffset] = 1;
        VpnMasq.Protocols.Checksums.TransportChecksum.Fill(frame.AsSpan(14));

        var outcome = gateway.Send(frame);

        outcome.AssertDropped(DropReason.TtlExceeded);
        Assert.Equal(VpnMasq.Protocols.Icmp.IcmpType.TimeExceeded, Dissect(outcome.Reply(Side.Inside)).IcmpType);
        Assert.Equal(0, gateway.Gateway.Peers.Values.Sum(p => p.EntryCount)); // no mapping opened for a datagram that goes nowhere
        Assert.Empty(gateway.Events);
    }

    [Fact]
    public void UnknownSpiFannedOut_EveryCopyLeavesWithItsTtlOneLower()
    {
        // §3.3: an unknown SPI with no outstanding init goes to every host that may own it (parallel sessions).
        var gateway = GatewayUnderTest.Create(o => o with { Esp = o.Esp with { ParallelSessions = true } });
        gateway.Send(EspFrame(InsideA, Remote, 0x1001));
        gateway.Send(EspFrame(Remote, Public, 0x2001));
        gateway.Send(EspFrame(InsideB, Remote, 0x1002));
        gateway.Send(EspFrame(Remote, Public, 0x2002));
        var rekey = EspFrame(Remote, Public, 0x3003);

        var outcome = gateway.Send(rekey);

        Assert.Equal(2, outcome.Outputs.Count); // both hosts: either may have rekeyed
        Assert.All(outcome.Outputs, o => Assert.Equal(rekey[TtlOffset] - 1, o.Frame[TtlOffset]));
    }
}
