using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Esp;

// DESIGN §3.3, HOWTO §6.2's "best solution": an announced SA pair needs no serialization.
public sealed class EspAnnounceTests
{
    [Fact]
    public void AnnouncedPair_IsAnAssociationFromTheStart_AndNeverWaitsForSerialization()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(EspOut(HostA, 0x1001), At(0));
        var peer = gw.Peer;
        var events = new List<PeerEvent>();

        var refusal = peer.Announce(HostA, 0x1002, 0x2002, gw.Gateway.Settings, At(1), events);
        gw.Events.AddRange(events);
        var inboundFrame = EspIn(0x2002);
        var inbound = gw.In(inboundFrame, At(2));
        var outbound = gw.Out(EspOut(HostA, 0x1002), At(3));

        Assert.Equal(DropReason.None, refusal);
        Assert.Equal([new EspSpiAssociated(At(1), HostA, 0x1002, 0x2002, Announced: true)], events);
        Assert.Equal(VerdictAction.Forward, inbound.Action);
        Assert.Equal(HostA, DestinationOf(inboundFrame));
        Assert.Equal(VerdictAction.Forward, outbound.Action);

        // The announced SPI was not taken as the reply to the outstanding initial packet.
        var outstanding = gw.Peer.Esp.Outstanding!;
        Assert.Equal(0x1001u, outstanding.OutboundSpi);
        Assert.Equal(0u, outstanding.InboundSpi);
    }

    [Fact]
    public void Announcement_ForAnotherHostsSpi_IsRefused()
    {
        var gw = new EspIsakmpDriver(EspIsakmpDriver.WithParallelSessions(true));
        gw.Out(EspOut(HostA, 0x1001), At(0));
        gw.In(EspIn(0x2001), At(1));
        var events = new List<PeerEvent>();

        var sameInbound = gw.Peer.Announce(HostB, 0x3001, 0x2001, gw.Gateway.Settings, At(2), events);
        var sameOutbound = gw.Peer.Announce(HostB, 0x1001, 0x4001, gw.Gateway.Settings, At(2), events);
        var frame = EspIn(0x2001, 2);
        var inbound = gw.In(frame, At(3));

        Assert.NotEqual(DropReason.None, sameInbound);
        Assert.NotEqual(DropReason.None, sameOutbound);
        Assert.Empty(events);
        Assert.Equal(HostA, DestinationOf(frame));
        Assert.Equal(HostA, inbound.Inside);
    }
}
