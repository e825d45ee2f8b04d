using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Esp;

// DESIGN §3.3, HOWTO §6.2: inbound ESP with an unknown SPI, established traffic, the table lifetime.
public sealed class EspInboundTests
{
    /// <summary>A establishes 0x1001/0x2001 at 0-1 s, B establishes 0x3001/0x4001 at <paramref name="bStarts"/>.</summary>
    private static EspIsakmpDriver TwoEstablishedHosts(double bStarts)
    {
        var gw = new EspIsakmpDriver(EspIsakmpDriver.WithParallelSessions(true));
        gw.Out(EspOut(HostA, 0x1001), At(0));
        gw.In(EspIn(0x2001), At(1));
        gw.Out(EspOut(HostB, 0x3001), At(bStarts));
        gw.In(EspIn(0x4001), At(bStarts + 1));
        Assert.Equal(HostB, gw.Peer.Esp.FindInbound(0x4001)!.Inside);
        return gw;
    }

    [Fact]
    public void UnknownInboundSpi_WithNothingOutstanding_GoesToTheHostThatMostRecentlyRekeyed()
    {
        var gw = TwoEstablishedHosts(bStarts: 20);
        var frame = EspIn(0x5001);

        var verdict = gw.In(frame, At(22));

        Assert.Equal(VerdictAction.Forward, verdict.Action);
        Assert.Equal(HostB, verdict.Inside);
        Assert.Equal(HostB, DestinationOf(frame));
        Assert.Null(verdict.Extra);
        Assert.Null(gw.Peer.Esp.FindInbound(0x5001));
    }

    [Fact]
    public void UnknownInboundSpi_WithNothingOutstanding_FansOutToHostsThatRekeyedWithinInitLifetimeOfTheLatest()
    {
        var gw = TwoEstablishedHosts(bStarts: 5);
        var frame = EspIn(0x5001);

        var verdict = gw.In(frame, At(7));

        Assert.Equal(VerdictAction.Forward, verdict.Action);
        Assert.Equal(HostB, verdict.Inside);
        Assert.Equal(HostB, DestinationOf(frame));
        var copy = Assert.Single(verdict.Extra!);
        Assert.Equal(Side.Inside, copy.Side);
        Assert.Equal(HostA, DestinationOf(copy.Frame));
        Assert.Equal(Remote, SourceOf(copy.Frame));
        Assert.Equal(0x5001u, EspSpiOf(copy.Frame));
        Assert.Equal(2, EspIsakmpDriver.Outputs(frame, verdict).Count);
        Assert.Null(gw.Peer.Esp.FindInbound(0x5001));
    }

    [Fact]
    public void EstablishedTraffic_IsNeverBlocked_WhileAnotherEntryIsOutstandingAndCollided()
    {
        var gw = new EspIsakmpDriver(EspIsakmpDriver.WithParallelSessions(true));
        gw.Out(EspOut(HostA, 0x1001), At(0));
        gw.In(EspIn(0x2001), At(1));
        gw.Out(EspOut(HostB, 0x3001), At(2));
        Assert.Equal(DropReason.EspInitBlocked, gw.Out(EspOut(HostA, 0x1002), At(3)).Reason);
        Assert.True(gw.Peer.Esp.Outstanding!.Collided);

        var outbound = Enumerable.Range(0, 5).Select(i => gw.Out(EspOut(HostA, 0x1001, (uint)i + 2), At(4 + i))).ToList();
        var inboundFrame = EspIn(0x2001, 2);
        var inbound = gw.In(inboundFrame, At(9));

        Assert.All(outbound, v => Assert.Equal(VerdictAction.Forward, v.Action));
        Assert.Equal(VerdictAction.Forward, inbound.Action);
        Assert.Equal(HostA, DestinationOf(inboundFrame));
        var outstanding = gw.Peer.Esp.Outstanding!;
        Assert.Equal(HostB, outstanding.Inside);
        Assert.Equal(0u, outstanding.InboundSpi);
        Assert.Equal(0, outstanding.RetriesSinceCollision);
    }

    [Fact]
    public void EstablishedEntry_LivesTheTableLifetime_AndThenExpires()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(EspOut(HostA, 0x1001), At(0));
        gw.In(EspIn(0x2001), At(1));
        var lastSeen = At(1) + TimeSpan.FromMinutes(30);

        var withinLifetime = gw.In(EspIn(0x2001, 2), lastSeen);
        var afterLifetime = gw.In(EspIn(0x2001, 3), lastSeen + TimeSpan.FromMinutes(30) + At(1));

        Assert.Equal(VerdictAction.Forward, withinLifetime.Action);
        Assert.Equal(HostA, withinLifetime.Inside);
        Assert.Equal(DropReason.NoMapping, afterLifetime.Reason);
        Assert.Equal(0, gw.Peer.Esp.Count);
        Assert.Contains(gw.Events, e => e is EspEntryRemoved { Inside: HostA, OutboundSpi: 0x1001, Cause: RemovalCause.Expired });
    }

    [Fact]
    public void Ah_IsDroppedAsNotMasqueradable_InBothDirections()
    {
        var gw = new EspIsakmpDriver();

        var outbound = gw.Out(AhFrame(HostA, Remote, 0x1001), At(0));
        var inbound = gw.In(AhFrame(Remote, Public, 0x2001), At(1));

        Assert.Equal(VerdictAction.Drop, outbound.Action);
        Assert.Equal(DropReason.AhNotMasqueradable, outbound.Reason);
        Assert.Equal(ProtocolLabel.Ah, outbound.Protocol);
        Assert.Equal(VerdictAction.Drop, inbound.Action);
        Assert.Equal(DropReason.AhNotMasqueradable, inbound.Reason);
        Assert.Equal("ah-not-masqueradable", inbound.Reason.Code());
        Assert.Empty(gw.Events);
    }
}
