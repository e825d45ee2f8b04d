using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Firewall;

// DESIGN §3.6: rules are evaluated before any protocol-specific parsing, so a denied frame is rule-deny, never
// malformed; and (§3.2) only UDP 500→500 is ISAKMP, so a datagram from or to port 500 alone is ordinary UDP.
public sealed class RulesBeforeParsingTests
{
    [Fact]
    public void DeniedFrame_ThatWouldFailIsakmpParsing_IsRuleDeny_NotMalformed()
    {
        var gateway = GatewayUnderTest.Create(o => o with { Rules = ["-A input -j DENY -p udp -s 10.0.0.0/8 -d 0.0.0.0/0 500"] });
        var truncatedIsakmp = UdpFrame(InsideA, 500, Remote, 500, [1, 2, 3]);

        gateway.Send(truncatedIsakmp).AssertDropped(DropReason.RuleDeny);
    }

    [Fact]
    public void DeniedFrame_WithATcpHeaderThatLies_IsRuleDeny_MatchedByItsPorts()
    {
        var gateway = GatewayUnderTest.Create(o => o with { Rules = ["-A forward -j DENY -p tcp -d 0.0.0.0/0 23", "-A forward -j MASQ -s 10.0.0.0/8"] });
        var frame = TcpFrame(InsideA, 4000, Remote, 23, TcpFlags.Syn);
        frame[14 + 20 + 12] = 0xF0; // data offset 60 bytes: beyond the segment

        gateway.Send(frame).AssertDropped(DropReason.RuleDeny);
    }

    [Fact]
    public void AcceptedFrame_ThatFailsParsing_IsStillMalformed()
    {
        var gateway = GatewayUnderTest.Create();
        var frame = TcpFrame(InsideA, 4000, Remote, 23, TcpFlags.Syn);
        frame[14 + 20 + 12] = 0xF0;

        gateway.Send(frame).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void UdpFromPort500ToAnotherPort_IsOrdinaryUdp_NotMalformed()
    {
        var gateway = GatewayUnderTest.Create();

        var sent = Dissect(gateway.Send(UdpFrame(InsideA, 500, Remote, 53, [0xde, 0xad])).Outside);

        Assert.Equal(VpnMasq.Protocols.Frames.FrameKind.Udp, sent.Kind);
        Assert.Equal(Public, sent.Source);
    }

    [Fact]
    public void UdpFromAnotherPortToPort500_IsOrdinaryUdp_AndItsReplyComesBack()
    {
        var gateway = GatewayUnderTest.Create();
        var sent = Dissect(gateway.Send(UdpFrame(InsideA, 33000, Remote, 500, [1, 2, 3])).Outside);

        var reply = Dissect(gateway.Send(UdpFrame(Remote, 500, Public, sent.SourcePort, [4, 5, 6])).Inside);

        Assert.Equal((InsideA, (ushort)33000), (reply.Destination, reply.DestinationPort));
    }

    [Fact]
    public void Udp500To500_ThatIsNotIsakmp_IsStillMalformed()
    {
        var gateway = GatewayUnderTest.Create();

        gateway.Send(UdpFrame(InsideA, 500, Remote, 500, [1, 2, 3])).AssertDropped(DropReason.Malformed);
    }
}
