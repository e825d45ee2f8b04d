using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Esp;

// DESIGN §3.3, HOWTO §6.2: initial packets are serialized per remote host.
public sealed class EspInitSerializationTests
{
    [Fact]
    public void InitialPacket_CreatesAnOutstandingEntry_AndIsSentFromThePublicAddress()
    {
        var gw = new EspIsakmpDriver();
        var frame = EspOut(HostA, 0x1001);

        var verdict = gw.Out(frame, At(0));

        Assert.Equal(VerdictAction.Forward, verdict.Action);
        Assert.Equal(Side.Outside, verdict.Side);
        Assert.Equal(HostA, verdict.Inside);
        Assert.Equal(Public, SourceOf(frame));
        Assert.Equal(Remote, DestinationOf(frame));
        Assert.Equal(0x1001u, EspSpiOf(frame));
        var outstanding = gw.Peer.Esp.Outstanding;
        Assert.NotNull(outstanding);
        Assert.Equal(HostA, outstanding.Inside);
        Assert.Equal(0x1001u, outstanding.OutboundSpi);
        Assert.Equal(0u, outstanding.InboundSpi);
        Assert.Equal([new EspInitStarted(At(0), HostA, 0x1001)], gw.Events);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InitialPacket_FromAnotherHost_WhileAnEntryIsOutstanding_IsBlocked(bool parallelSessions)
    {
        var gw = new EspIsakmpDriver(EspIsakmpDriver.WithParallelSessions(parallelSessions));
        gw.Out(EspOut(HostA, 0x1001), At(0));

        var verdict = gw.Out(EspOut(HostB, 0x3001), At(1));

        Assert.Equal(VerdictAction.Drop, verdict.Action);
        Assert.Equal(DropReason.EspInitBlocked, verdict.Reason);
        Assert.Equal("esp-init-blocked", verdict.Reason.Code());
        Assert.Equal(HostA, gw.Peer.Esp.Outstanding!.Inside);
        Assert.Null(gw.Peer.Esp.FindOutbound(HostB, 0x3001));
    }

    [Fact]
    public void InitialPacket_FromTheSameHostWithAnotherSpi_WhileItsEntryIsOutstanding_IsBlocked()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(EspOut(HostA, 0x1001), At(0));

        var verdict = gw.Out(EspOut(HostA, 0x1002), At(1));

        Assert.Equal(DropReason.EspInitBlocked, verdict.Reason);
        Assert.Equal(0x1001u, gw.Peer.Esp.Outstanding!.OutboundSpi);
        Assert.Null(gw.Peer.Esp.FindOutbound(HostA, 0x1002));
    }

    [Fact]
    public void UnknownInboundSpi_WhileAnEntryIsOutstanding_IsItsReply_AndTheNextInitialPacketMayProceed()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(EspOut(HostA, 0x1001), At(0));
        var reply = EspIn(0x2001);

        var verdict = gw.In(reply, At(1));

        Assert.Equal(VerdictAction.Forward, verdict.Action);
        Assert.Equal(Side.Inside, verdict.Side);
        Assert.Equal(HostA, DestinationOf(reply));
        Assert.Equal(Remote, SourceOf(reply));
        Assert.Null(gw.Peer.Esp.Outstanding);
        Assert.Equal(0x2001u, gw.Peer.Esp.FindOutbound(HostA, 0x1001)!.InboundSpi);
        Assert.Contains(new EspSpiAssociated(At(1), HostA, 0x1001, 0x2001, Announced: false), gw.Events);

        // The stored SPI keeps routing, and the next initial packet (the host's next SA) is processed.
        var later = EspIn(0x2001, 2);
        Assert.Equal(HostA, gw.In(later, At(2)).Inside);
        Assert.Equal(HostA, DestinationOf(later));
        Assert.Equal(VerdictAction.Forward, gw.Out(EspOut(HostA, 0x1002), At(3)).Action);
        Assert.Equal(0x1002u, gw.Peer.Esp.Outstanding!.OutboundSpi);
    }

    [Fact]
    public void ZeroSpi_IsDroppedInBothDirections()
    {
        var gw = new EspIsakmpDriver();

        var outbound = gw.Out(EspOut(HostA, 0), At(0));
        var inbound = gw.In(EspIn(0), At(1));

        Assert.Equal(DropReason.EspZeroSpi, outbound.Reason);
        Assert.Equal(DropReason.EspZeroSpi, inbound.Reason);
        Assert.Equal("esp-zero-spi", inbound.Reason.Code());
        Assert.Empty(gw.Events);
        Assert.False(gw.Gateway.Peers.ContainsKey(Remote)); // a refused frame leaves no peer behind, not even an empty one
    }

    [Fact]
    public void OutstandingEntry_ExpiresInitLifetimeAfterItsInitialPacket_AndAnotherHostMayStart()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(EspOut(HostA, 0x1001), At(0));
        Assert.Equal(VerdictAction.Forward, gw.Out(EspOut(HostA, 0x1001, 2), At(3)).Action);
        Assert.Equal(DropReason.EspInitBlocked, gw.Out(EspOut(HostB, 0x3001), At(5)).Reason);

        // The holder's later packets do not extend the lifetime: it counts from the initial packet.
        Assert.Equal(VerdictAction.Forward, gw.Out(EspOut(HostA, 0x1001, 3), At(8)).Action);
        var stillBlocked = gw.Out(EspOut(HostB, 0x3001), At(9.9));
        var frame = EspOut(HostB, 0x3001);
        var afterLifetime = gw.Out(frame, At(10.1));

        Assert.Equal(DropReason.EspInitBlocked, stillBlocked.Reason);
        Assert.Equal(VerdictAction.Forward, afterLifetime.Action);
        Assert.Equal(Public, SourceOf(frame));
        Assert.Equal(HostB, gw.Peer.Esp.Outstanding!.Inside);
        Assert.Contains(new EspEntryRemoved(At(10.1), HostA, 0x1001, RemovalCause.Expired), gw.Events);
    }

    [Fact]
    public void Holder_BeforeAnyCollision_MaySendAnyNumberOfPackets_UntilInitLifetime()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(EspOut(HostA, 0x1001), At(0));

        var verdicts = Enumerable.Range(1, 19).Select(i => gw.Out(EspOut(HostA, 0x1001, (uint)i + 1), At(i * 0.5))).ToList();

        Assert.All(verdicts, v => Assert.Equal(VerdictAction.Forward, v.Action));
        Assert.DoesNotContain(gw.Events, e => e is EspInitRetried);
        var entry = gw.Peer.Esp.Outstanding!;
        Assert.Equal(HostA, entry.Inside);
        Assert.False(entry.Collided);
        Assert.Equal(DropReason.EspInitBlocked, gw.Out(EspOut(HostB, 0x3001), At(9.8)).Reason);
    }
}
