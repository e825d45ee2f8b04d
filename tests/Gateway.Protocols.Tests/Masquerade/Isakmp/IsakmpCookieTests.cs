using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Tests.Masquerade.Esp;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Isakmp;

// DESIGN §3.2, HOWTO §5.7/§6.1: ISAKMP on UDP 500 -> 500. Every rule holds for IKEv1 (1.0) and IKEv2 (2.0).
public sealed class IsakmpCookieTests
{
    private const ulong CookieA = 0xA1A1_A1A1_A1A1_A1A1;
    private const ulong CookieB = 0xB2B2_B2B2_B2B2_B2B2;
    private const ulong ResponderA = 0x0A0A_0A0A_0A0A_0A0A;
    private const ulong ResponderB = 0x0B0B_0B0B_0B0B_0B0B;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Outbound500To500_KeepsSourcePort500_WithThePublicAddress(byte version)
    {
        var gw = new EspIsakmpDriver();
        var frame = IsakmpOut(HostA, CookieA, version: version);

        var verdict = gw.Out(frame, At(0));

        Assert.Equal(VerdictAction.Forward, verdict.Action);
        Assert.Equal(ProtocolLabel.Isakmp, verdict.Protocol);
        Assert.Equal(Public, SourceOf(frame));
        Assert.Equal(IkePort, SourcePortOf(frame));
        Assert.Equal(IkePort, DestinationPortOf(frame));
        Assert.Equal(HostA, gw.Peer.Isakmp.Find(HostA, CookieA)!.Inside);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TwoInsideHosts_ToOneRemote_BothUsePublicPort500_AndRepliesAreRoutedByInitiatorCookie(byte version)
    {
        var gw = new EspIsakmpDriver();
        var fromA = IsakmpOut(HostA, CookieA, version: version);
        var fromB = IsakmpOut(HostB, CookieB, version: version);
        Assert.Equal(VerdictAction.Forward, gw.Out(fromA, At(0)).Action);
        Assert.Equal(VerdictAction.Forward, gw.Out(fromB, At(1)).Action);

        var toB = IsakmpIn(CookieB, ResponderB, version);
        var toA = IsakmpIn(CookieA, ResponderA, version);
        var replyB = gw.In(toB, At(2));
        var replyA = gw.In(toA, At(3));

        Assert.Equal((Public, IkePort), (SourceOf(fromA), SourcePortOf(fromA)));
        Assert.Equal((Public, IkePort), (SourceOf(fromB), SourcePortOf(fromB)));
        Assert.Equal(HostB, replyB.Inside);
        Assert.Equal((HostB, IkePort), (DestinationOf(toB), DestinationPortOf(toB)));
        Assert.Equal(HostA, replyA.Inside);
        Assert.Equal((HostA, IkePort), (DestinationOf(toA), DestinationPortOf(toA)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FirstReply_RecordsTheResponderCookie_ThenAnotherResponderCookie_IsNoMapping(byte version)
    {
        var gw = new EspIsakmpDriver();
        gw.Out(IsakmpOut(HostA, CookieA, version: version), At(0));
        gw.In(IsakmpIn(CookieA, ResponderA, version), At(1));

        var mismatch = gw.In(IsakmpIn(CookieA, ResponderB, version), At(2));
        var match = gw.In(IsakmpIn(CookieA, ResponderA, version), At(3));

        Assert.Contains(new IsakmpResponderLearned(At(1), CookieA, ResponderA), gw.Events);
        Assert.Equal(ResponderA, gw.Peer.Isakmp.Find(HostA, CookieA)!.ResponderCookie);
        Assert.Equal(VerdictAction.Drop, mismatch.Action);
        Assert.Equal(DropReason.NoMapping, mismatch.Reason);
        Assert.Equal(HostA, match.Inside);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SameInitiatorCookie_FromAnotherHost_WhileTheFirstAwaitsItsReply_IsCookieCollision(byte version)
    {
        var gw = new EspIsakmpDriver();
        gw.Out(IsakmpOut(HostA, CookieA, version: version), At(0));

        var verdict = gw.Out(IsakmpOut(HostB, CookieA, version: version), At(1));
        var reply = gw.In(IsakmpIn(CookieA, ResponderA, version), At(2));

        Assert.Equal(VerdictAction.Drop, verdict.Action);
        Assert.Equal(DropReason.IsakmpCookieCollision, verdict.Reason);
        Assert.Equal("isakmp-cookie-collision", verdict.Reason.Code());
        Assert.Null(gw.Peer.Isakmp.Find(HostB, CookieA));
        Assert.Equal(HostA, reply.Inside);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SameInitiatorCookie_FromAnotherHost_AfterTheFirstReply_IsRoutedByResponderCookie(byte version)
    {
        var gw = new EspIsakmpDriver();
        gw.Out(IsakmpOut(HostA, CookieA, version: version), At(0));
        gw.In(IsakmpIn(CookieA, ResponderA, version), At(1));

        var second = gw.Out(IsakmpOut(HostB, CookieA, version: version), At(2));
        var toB = gw.In(IsakmpIn(CookieA, ResponderB, version), At(3));
        var toA = gw.In(IsakmpIn(CookieA, ResponderA, version), At(4));

        Assert.Equal(VerdictAction.Forward, second.Action);
        Assert.Equal(HostB, toB.Inside);
        Assert.Equal(HostA, toA.Inside);
    }

    [Fact]
    public void ExpiredExchange_ResumedByItsHost_LeavesAnotherHostsExchangeWithTheSameInitiatorCookie()
    {
        // Both cookies must match once known, so two hosts may share an initiator cookie; A's mapping
        // expiring must not take B's live one with it, or B's next reply goes to A's new exchange.
        var gw = new EspIsakmpDriver();
        gw.Out(IsakmpOut(HostA, CookieA), At(0));
        gw.In(IsakmpIn(CookieA, ResponderA), At(1));
        gw.Out(IsakmpOut(HostB, CookieA), At(2));
        gw.In(IsakmpIn(CookieA, ResponderB), At(3));
        gw.Out(IsakmpOut(HostB, CookieA, ResponderB), At(20 * 60));

        var resumed = gw.Out(IsakmpOut(HostA, CookieA, ResponderA), At(31 * 60));
        var toB = IsakmpIn(CookieA, ResponderB);
        var toBVerdict = gw.In(toB, At(31 * 60 + 1));

        Assert.Equal(VerdictAction.Forward, resumed.Action);
        Assert.Equal(HostB, toBVerdict.Inside);
        Assert.Equal(HostB, DestinationOf(toB));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ZeroInitiatorCookie_IsDroppedInBothDirections(byte version)
    {
        var gw = new EspIsakmpDriver();

        var outbound = gw.Out(IsakmpOut(HostA, 0, version: version), At(0));
        var inbound = gw.In(IsakmpIn(0, ResponderA, version), At(1));

        Assert.Equal(DropReason.IsakmpZeroCookie, outbound.Reason);
        Assert.Equal(DropReason.IsakmpZeroCookie, inbound.Reason);
        Assert.Equal("isakmp-zero-cookie", outbound.Reason.Code());
        Assert.Empty(gw.Events);
    }

    [Fact]
    public void Ikev2ResponseWithoutAResponderSpi_GoesToTheAwaitingInitiator_WhichStillAwaitsItsReply()
    {
        // An IKE_SA_INIT answered with COOKIE or INVALID_KE_PAYLOAD names no responder SPI (RFC 7296 §2.6, §1.3).
        var gw = new EspIsakmpDriver();
        gw.Out(IsakmpOut(HostA, CookieA, version: 2), At(0));

        var challenge = gw.In(IsakmpIn(CookieA, 0, 2), At(1));
        var collision = gw.Out(IsakmpOut(HostB, CookieA, version: 2), At(2));
        gw.Out(IsakmpOut(HostA, CookieA, version: 2), At(3));
        var reply = gw.In(IsakmpIn(CookieA, ResponderA, 2), At(4));

        Assert.Equal(HostA, challenge.Inside);
        Assert.Equal(DropReason.IsakmpCookieCollision, collision.Reason);
        Assert.Equal(HostA, reply.Inside);
        Assert.Equal(ResponderA, gw.Peer.Isakmp.Find(HostA, CookieA)!.ResponderCookie);
    }
}
