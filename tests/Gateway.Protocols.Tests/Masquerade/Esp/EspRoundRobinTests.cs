using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Esp;

// DESIGN §3.3: after a collision the holder has InitRetries more packets; then turns go round-robin.
public sealed class EspRoundRobinTests
{
    [Fact]
    public void Holder_AfterACollision_SendsInitRetriesMorePackets_TheNextEndsItsTurn_AndTheWaitingHostTakesIt()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(EspOut(HostA, 0x1001), At(0));
        Assert.Equal(DropReason.EspInitBlocked, gw.Out(EspOut(HostB, 0x3001), At(1)).Reason);

        var retries = new[] { 2.0, 3.0, 4.0 }.Select(t => gw.Out(EspOut(HostA, 0x1001, (uint)t), At(t))).ToList();
        var fourth = gw.Out(EspOut(HostA, 0x1001, 5), At(5));

        Assert.All(retries, v => Assert.Equal(VerdictAction.Forward, v.Action));
        Assert.Equal(VerdictAction.Drop, fourth.Action);
        Assert.Equal(DropReason.EspInitBlocked, fourth.Reason);
        Assert.Null(gw.Peer.Esp.FindOutbound(HostA, 0x1001));
        Assert.Contains(new EspEntryRemoved(At(5), HostA, 0x1001, RemovalCause.TurnEnded), gw.Events);

        var frame = EspOut(HostB, 0x3001);
        var waiting = gw.Out(frame, At(6));

        Assert.Equal(VerdictAction.Forward, waiting.Action);
        Assert.Equal(Public, SourceOf(frame));
        Assert.Equal(HostB, gw.Peer.Esp.Outstanding!.Inside);
    }

    [Fact]
    public void HostWhoseTurnEnded_IsNotGivenTheNextTurn_WhileAnotherHostWaits()
    {
        // Parallel sessions on, so that A may start again once B's SA is associated.
        var gw = new EspIsakmpDriver(EspIsakmpDriver.WithParallelSessions(true));
        gw.Out(EspOut(HostA, 0x1001), At(0));
        gw.Out(EspOut(HostB, 0x3001), At(1));
        for (int t = 2; t <= 5; t++)
            gw.Out(EspOut(HostA, 0x1001, (uint)t), At(t));
        Assert.Null(gw.Peer.Esp.Outstanding);

        var again = gw.Out(EspOut(HostA, 0x1001, 6), At(5.5));
        var waiter = gw.Out(EspOut(HostB, 0x3001), At(6));
        gw.In(EspIn(0x4001), At(7));
        var nextTurn = gw.Out(EspOut(HostA, 0x1001, 7), At(8));

        Assert.Equal(DropReason.EspInitBlocked, again.Reason);
        Assert.Equal(VerdictAction.Forward, waiter.Action);
        Assert.Equal(0x4001u, gw.Peer.Esp.FindOutbound(HostB, 0x3001)!.InboundSpi);
        Assert.Equal(VerdictAction.Forward, nextTurn.Action);
        Assert.Equal(HostA, gw.Peer.Esp.Outstanding!.Inside);
    }

    [Fact]
    public void WaitingHost_ThatKeepsAsking_TakesTheTurn_WhenTheHoldersInitLifetimeRunsOut()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(EspOut(HostA, 0x1001), At(0));
        foreach (double t in new[] { 0.5, 5.0, 9.5 })
            Assert.Equal(DropReason.EspInitBlocked, gw.Out(EspOut(HostB, 0x3001), At(t)).Reason);

        // A's entry has expired; A's next packet would be a new initial packet, but B has been asking all along.
        var holderAgain = gw.Out(EspOut(HostA, 0x1001, 2), At(10.6));
        var waiter = gw.Out(EspOut(HostB, 0x3001), At(11));

        Assert.Equal(DropReason.EspInitBlocked, holderAgain.Reason);
        Assert.Equal(VerdictAction.Forward, waiter.Action);
        Assert.Equal(HostB, gw.Peer.Esp.Outstanding!.Inside);
    }
}
