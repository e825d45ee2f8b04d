using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Tests.Masquerade.Esp;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Isakmp;

// DESIGN §3.2, beyond the HOWTO: NAT-T (RFC 3947/3948) on UDP 4500 is masqueraded with port translation.
public sealed class NatTraversalMasqueradeTests
{
    private const ulong CookieA = 0xA1A1_A1A1_A1A1_A1A1;
    private const ulong CookieB = 0xB2B2_B2B2_B2B2_B2B2;
    private const ulong Responder = 0x0E0E_0E0E_0E0E_0E0E;

    /// <summary>A and B each send IKE on 4500 to the remote; returns their public ports.</summary>
    private static (ushort PortA, ushort PortB) TwoHostsOn4500(EspIsakmpDriver gw)
    {
        var fromA = NatTIsakmpOut(HostA, CookieA);
        var fromB = NatTIsakmpOut(HostB, CookieB);
        Assert.Equal(VerdictAction.Forward, gw.Out(fromA, At(0)).Action);
        Assert.Equal(VerdictAction.Forward, gw.Out(fromB, At(1)).Action);
        Assert.Equal(Public, SourceOf(fromA));
        Assert.Equal(Public, SourceOf(fromB));
        return (SourcePortOf(fromA), SourcePortOf(fromB));
    }

    [Fact]
    public void NatT_TwoInsideHostsToOneServer_GetDistinctPublicPorts_AndRepliesReachEach()
    {
        var gw = new EspIsakmpDriver();
        var (portA, portB) = TwoHostsOn4500(gw);
        var toA = NatTIsakmpIn(portA, CookieA, Responder);
        var toB = NatTIsakmpIn(portB, CookieB, Responder);

        var replyA = gw.In(toA, At(2));
        var replyB = gw.In(toB, At(3));

        Assert.NotEqual(portA, portB);
        Assert.Equal(NatTraversal.Port, portA);
        Assert.Equal(HostA, replyA.Inside);
        Assert.Equal((HostA, NatTraversal.Port), (DestinationOf(toA), DestinationPortOf(toA)));
        Assert.Equal(HostB, replyB.Inside);
        Assert.Equal((HostB, NatTraversal.Port), (DestinationOf(toB), DestinationPortOf(toB)));
    }

    [Fact]
    public void NatT_KeepalivesAndUdpEncapsulatedEsp_FollowTheHostsMapping()
    {
        var gw = new EspIsakmpDriver();
        var (_, portB) = TwoHostsOn4500(gw);
        var keepalive = NatTKeepaliveOut(HostB);
        var espOut = NatTEspOut(HostB, 0x3001);
        var espIn = NatTEspIn(portB, 0x4001);

        var keepaliveVerdict = gw.Out(keepalive, At(20));
        var espOutVerdict = gw.Out(espOut, At(21));
        var espInVerdict = gw.In(espIn, At(22));

        Assert.Equal(VerdictAction.Forward, keepaliveVerdict.Action);
        Assert.Equal((Public, portB), (SourceOf(keepalive), SourcePortOf(keepalive)));
        Assert.Equal(VerdictAction.Forward, espOutVerdict.Action);
        Assert.Equal((Public, portB), (SourceOf(espOut), SourcePortOf(espOut)));
        Assert.Equal(HostB, espInVerdict.Inside);
        Assert.Equal((HostB, NatTraversal.Port), (DestinationOf(espIn), DestinationPortOf(espIn)));
    }

    [Fact]
    public void NatT_MappingIdleTwentyMinutes_StillWorks_WhileAPlainUdpMappingDoesNot()
    {
        const ushort PlainPort = 5000;
        var gw = new EspIsakmpDriver();
        var (portA, _) = TwoHostsOn4500(gw);
        gw.Out(UdpFrame(HostA, PlainPort, Remote, PlainPort, [1, 2, 3, 4]), At(1));
        var idle = At(1) + TimeSpan.FromMinutes(20);

        var natT = NatTEspIn(portA, 0x2001);
        var natTVerdict = gw.In(natT, idle);
        var plainVerdict = gw.In(UdpFrame(Remote, PlainPort, Public, PlainPort, [5, 6, 7, 8]), idle);

        Assert.Equal(VerdictAction.Forward, natTVerdict.Action);
        Assert.Equal((HostA, NatTraversal.Port), (DestinationOf(natT), DestinationPortOf(natT)));
        Assert.Equal(VerdictAction.Drop, plainVerdict.Action);
        Assert.Equal(DropReason.NoMapping, plainVerdict.Reason);
    }
}
