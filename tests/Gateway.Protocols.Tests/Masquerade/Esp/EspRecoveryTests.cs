using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Esp;

// DESIGN §1 "the table survives failover": the journal rebuilds a peer that decides as the live one did.
public sealed class EspRecoveryTests
{
    [Fact]
    public void RecoveredPeer_WithAnEstablishedAssociation_RoutesTheNextPacketsAsTheLiveOne()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(EspOut(HostA, 0x1001), At(0));
        gw.In(EspIn(0x2001), At(1));
        gw.Out(EspOut(HostB, 0x3001), At(2));

        var (inbound, inboundFrame) = gw.RouteOnLiveAndRecovered(EspIn(0x2001, 2), Direction.Inbound, At(3));
        var (outbound, outboundFrame) = gw.RouteOnLiveAndRecovered(EspOut(HostA, 0x1001, 2), Direction.Outbound, At(4));
        var (otherHost, _) = gw.RouteOnLiveAndRecovered(EspOut(HostB, 0x3001), Direction.Outbound, At(5));

        Assert.Equal(HostA, DestinationOf(inboundFrame));
        Assert.Equal(VerdictAction.Forward, outbound.Action);
        Assert.Equal(Public, SourceOf(outboundFrame));
        Assert.Equal(HostA, inbound.Inside);
        Assert.Equal(DropReason.EspParallelRefused, otherHost.Reason);
    }

    [Fact]
    public void RecoveredPeer_AfterATurnEnded_KeepsTheRoundRobinAsTheLiveOne()
    {
        var gw = new EspIsakmpDriver(EspIsakmpDriver.WithParallelSessions(true));
        gw.Out(EspOut(HostA, 0x1001), At(0));
        gw.Out(EspOut(HostB, 0x3001), At(1));
        gw.Out(EspOut(HostA, 0x1001, 2), At(2));
        gw.Out(EspOut(HostA, 0x1001, 3), At(3));

        // One retry left for A, then its turn ends; A may not take the next one while B waits.
        var (lastRetry, _) = gw.RouteOnLiveAndRecovered(EspOut(HostA, 0x1001, 4), Direction.Outbound, At(4));
        var (turnEnds, _) = gw.RouteOnLiveAndRecovered(EspOut(HostA, 0x1001, 5), Direction.Outbound, At(5));
        var (holderAgain, _) = gw.RouteOnLiveAndRecovered(EspOut(HostA, 0x1001, 6), Direction.Outbound, At(5.5));
        var (waiter, _) = gw.RouteOnLiveAndRecovered(EspOut(HostB, 0x3001), Direction.Outbound, At(6));

        Assert.Equal(VerdictAction.Forward, lastRetry.Action);
        Assert.Equal(DropReason.EspInitBlocked, turnEnds.Reason);
        Assert.Equal(DropReason.EspInitBlocked, holderAgain.Reason);
        Assert.Equal(VerdictAction.Forward, waiter.Action);
    }

    [Fact]
    public void RecoveredPeer_SendsAnUnknownSpiToTheSameLatestRekeyersAsTheLiveOne()
    {
        var gw = new EspIsakmpDriver(EspIsakmpDriver.WithParallelSessions(true));
        gw.Out(EspOut(HostA, 0x1001), At(0));
        gw.In(EspIn(0x2001), At(1));
        gw.Out(EspOut(HostB, 0x3001), At(5));
        gw.In(EspIn(0x4001), At(6));

        var (verdict, frame) = gw.RouteOnLiveAndRecovered(EspIn(0x5001), Direction.Inbound, At(7));

        Assert.Equal(HostB, DestinationOf(frame));
        Assert.Equal(HostA, DestinationOf(Assert.Single(verdict.Extra!).Frame));
    }
}
