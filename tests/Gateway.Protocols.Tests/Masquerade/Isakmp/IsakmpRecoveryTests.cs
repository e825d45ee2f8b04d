using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Tests.Masquerade.Esp;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Isakmp;

// DESIGN §1 "the table survives failover": the journal rebuilds a peer that decides as the live one did.
public sealed class IsakmpRecoveryTests
{
    private const ulong CookieA = 0xA1A1_A1A1_A1A1_A1A1;
    private const ulong CookieB = 0xB2B2_B2B2_B2B2_B2B2;
    private const ulong ResponderA = 0x0A0A_0A0A_0A0A_0A0A;
    private const ulong ResponderB = 0x0B0B_0B0B_0B0B_0B0B;

    [Fact]
    public void RecoveredPeer_WithALearnedResponderCookie_RoutesTheNextPacketsAsTheLiveOne()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(IsakmpOut(HostA, CookieA), At(0));
        gw.In(IsakmpIn(CookieA, ResponderA), At(1));
        gw.Out(IsakmpOut(HostB, CookieB), At(2));

        var (mismatch, _) = gw.RouteOnLiveAndRecovered(IsakmpIn(CookieA, ResponderB), Direction.Inbound, At(3));
        var (toA, frameA) = gw.RouteOnLiveAndRecovered(IsakmpIn(CookieA, ResponderA), Direction.Inbound, At(4));
        var (toB, frameB) = gw.RouteOnLiveAndRecovered(IsakmpIn(CookieB, ResponderB), Direction.Inbound, At(5));
        var (remoteStarted, _) = gw.RouteOnLiveAndRecovered(IsakmpIn(0xC3C3_C3C3_C3C3_C3C3, 0, fromInitiator: true), Direction.Inbound, At(6));

        Assert.Equal(DropReason.NoMapping, mismatch.Reason);
        Assert.Equal(HostA, toA.Inside);
        Assert.Equal(HostA, DestinationOf(frameA));
        Assert.Equal(HostB, toB.Inside);
        Assert.Equal(HostB, DestinationOf(frameB));
        Assert.Equal(HostB, remoteStarted.Inside);
    }

    [Fact]
    public void RecoveredPeer_WithNatTMappings_RoutesTheNextPacketsAsTheLiveOne()
    {
        var gw = new EspIsakmpDriver();
        var fromA = NatTIsakmpOut(HostA, CookieA);
        var fromB = NatTIsakmpOut(HostB, CookieB);
        gw.Out(fromA, At(0));
        gw.Out(fromB, At(1));
        ushort portB = SourcePortOf(fromB);

        var (inbound, inboundFrame) = gw.RouteOnLiveAndRecovered(NatTEspIn(portB, 0x4001), Direction.Inbound, At(2));
        var (keepalive, keepaliveFrame) = gw.RouteOnLiveAndRecovered(NatTKeepaliveOut(HostB), Direction.Outbound, At(3));

        Assert.Equal(HostB, inbound.Inside);
        Assert.Equal((HostB, NatTraversal.Port), (DestinationOf(inboundFrame), DestinationPortOf(inboundFrame)));
        Assert.Equal(VerdictAction.Forward, keepalive.Action);
        Assert.Equal((Public, portB), (SourceOf(keepaliveFrame), SourcePortOf(keepaliveFrame)));
    }
}
