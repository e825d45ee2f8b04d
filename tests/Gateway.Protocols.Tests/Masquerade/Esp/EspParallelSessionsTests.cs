using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Esp;

// DESIGN §3.3 (HOWTO §3.4 PAROK): one inside host per remote unless parallel sessions are on.
public sealed class EspParallelSessionsTests
{
    [Fact]
    public void ParallelSessionsOff_AnotherHostsInitialPacket_WhileAnEstablishedEntryExists_IsRefused()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(EspOut(HostA, 0x1001), At(0));
        gw.In(EspIn(0x2001), At(1));
        int eventsBefore = gw.Events.Count;

        var verdict = gw.Out(EspOut(HostB, 0x3001), At(2));

        Assert.Equal(VerdictAction.Drop, verdict.Action);
        Assert.Equal(DropReason.EspParallelRefused, verdict.Reason);
        Assert.Equal("esp-parallel-refused", verdict.Reason.Code());
        Assert.Equal(eventsBefore, gw.Events.Count);
        Assert.Null(gw.Peer.Esp.FindOutbound(HostB, 0x3001));
        Assert.Empty(gw.Peer.Esp.Waiting);
    }

    [Fact]
    public void ParallelSessionsOn_AnotherHostsInitialPacket_IsAllowed_WithInitialPacketsSerialized()
    {
        var gw = new EspIsakmpDriver(EspIsakmpDriver.WithParallelSessions(true));
        gw.Out(EspOut(HostA, 0x1001), At(0));
        gw.In(EspIn(0x2001), At(1));

        var frame = EspOut(HostB, 0x3001);
        var second = gw.Out(frame, At(2));
        var rekeyWhileOutstanding = gw.Out(EspOut(HostA, 0x1002), At(3));
        var reply = EspIn(0x4001);
        var replyVerdict = gw.In(reply, At(4));
        var rekeyAfterReply = gw.Out(EspOut(HostA, 0x1002), At(5));

        Assert.Equal(VerdictAction.Forward, second.Action);
        Assert.Equal(Public, SourceOf(frame));
        Assert.Equal(DropReason.EspInitBlocked, rekeyWhileOutstanding.Reason);
        Assert.Equal(HostB, replyVerdict.Inside);
        Assert.Equal(HostB, DestinationOf(reply));
        Assert.Equal(VerdictAction.Forward, rekeyAfterReply.Action);
        Assert.Equal(HostA, gw.Peer.Esp.Outstanding!.Inside);
        Assert.Equal(HostA, gw.Peer.Esp.FindInbound(0x2001)!.Inside);
        Assert.Equal(HostB, gw.Peer.Esp.FindInbound(0x4001)!.Inside);
    }

    [Fact]
    public void ParallelSessionsOff_AfterTheReply_TheHostsNextInitialPacketProceeds_ThoughARefusedHostWaits()
    {
        // B was blocked while A's entry was outstanding, so it waits; but with parallel sessions off it cannot
        // take a turn while A holds an entry, so it must not hold up A's next SA (HOWTO §6.2: after the
        // reply "another initial packet for the remote server may be processed").
        var gw = new EspIsakmpDriver();
        gw.Out(EspOut(HostA, 0x1001), At(0));
        Assert.Equal(DropReason.EspInitBlocked, gw.Out(EspOut(HostB, 0x3001), At(0.5)).Reason);
        gw.In(EspIn(0x2001), At(1));
        Assert.Equal(DropReason.EspParallelRefused, gw.Out(EspOut(HostB, 0x3001), At(1.5)).Reason);

        var frame = EspOut(HostA, 0x1002);
        var verdict = gw.Out(frame, At(2));

        Assert.Equal(VerdictAction.Forward, verdict.Action);
        Assert.Equal(Public, SourceOf(frame));
        Assert.Equal(0x1002u, gw.Peer.Esp.Outstanding!.OutboundSpi);
    }
}
