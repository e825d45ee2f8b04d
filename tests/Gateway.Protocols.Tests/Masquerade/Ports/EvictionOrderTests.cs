using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Tests.Masquerade.Pptp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Ports;

// Masquerade:Limits:EntriesPerPeer (issue 10): a full table makes room by evicting the least recently used entry that
// carries no established VPN session; ESP SAs, answered ISAKMP exchanges, PPTP calls and the control connections and
// IKE/NAT-T mappings that carry them are never evicted, however long they have been quiet.
public sealed class EvictionOrderTests
{
    private static GatewayUnderTest WithEntriesPerPeer(int limit) =>
        GatewayUnderTest.Create(o => o with { Limits = new LimitOptions { EntriesPerPeer = limit } });

    private static void Later(GatewayUnderTest gateway) => gateway.Now += TimeSpan.FromSeconds(1);

    [Fact]
    public void EntriesPerPeerLimit_EvictsANewerPlainMapping_BeforeAQuieterPptpControlConnection()
    {
        var gateway = WithEntriesPerPeer(3);
        var client = new PptpClient(gateway, InsideB, 1100);
        ushort call = client.PlaceCall(7, 0x4001);
        Later(gateway);
        gateway.Send(UdpFrame(InsideA, 6000, Remote, 53)).Sent(Side.Outside);
        Later(gateway);

        gateway.Send(UdpFrame(InsideA, 6001, Remote, 53)).Sent(Side.Outside);

        Assert.Equal(new PortUnmapped(gateway.Now, 17, 6000, 53, RemovalCause.Evicted), Assert.Single(gateway.Events.OfType<PortUnmapped>()));
        Assert.Equal(InsideB, Dissect(gateway.Send(GreFrame(Remote, Public, call)).Inside).Destination);
    }

    [Fact]
    public void EntriesPerPeerLimit_EvictsANewerPlainMapping_BeforeAQuieterNatTMapping()
    {
        var gateway = WithEntriesPerPeer(2);
        ushort natT = Dissect(gateway.Send(Ike.NatTKeepaliveOut(InsideB)).Outside).SourcePort;
        Later(gateway);
        gateway.Send(UdpFrame(InsideA, 6000, Remote, 53)).Sent(Side.Outside);
        Later(gateway);

        gateway.Send(UdpFrame(InsideA, 6001, Remote, 53)).Sent(Side.Outside);

        Assert.Equal(6000, Assert.Single(gateway.Events.OfType<PortUnmapped>()).PublicPort);
        Assert.Equal(InsideB, Dissect(gateway.Send(Ike.NatTEspIn(natT, 0x1234)).Inside).Destination);
    }

    [Fact]
    public void EntriesPerPeerLimit_EvictsAnUnansweredIsakmpExchange_BeforeAQuieterAnsweredOne()
    {
        var gateway = WithEntriesPerPeer(2);
        gateway.Send(Ike.IsakmpOut(InsideB, 0xB1)).Sent(Side.Outside);
        gateway.Send(Ike.IsakmpIn(0xB1, 0xB2)).Sent(Side.Inside);
        Later(gateway);
        gateway.Send(Ike.IsakmpOut(InsideA, 0xA1)).Sent(Side.Outside);
        Later(gateway);

        gateway.Send(UdpFrame(InsideA, 6000, Remote, 53)).Sent(Side.Outside);

        Assert.Equal(new IsakmpExchangeRemoved(gateway.Now, 0xA1, RemovalCause.Evicted, InsideA), Assert.Single(gateway.Events.OfType<IsakmpExchangeRemoved>()));
        Assert.Equal(InsideB, Dissect(gateway.Send(Ike.IsakmpIn(0xB1, 0xB2)).Inside).Destination);
    }

    [Fact]
    public void EntriesPerPeerLimit_FullOfVpnSessions_RefusesANewEntryAsTableFull()
    {
        var gateway = WithEntriesPerPeer(2);
        gateway.Send(Ike.IsakmpOut(InsideB, 0xB1)).Sent(Side.Outside);
        gateway.Send(Ike.IsakmpIn(0xB1, 0xB2)).Sent(Side.Inside);
        gateway.Send(Ike.EspOut(InsideB, 0x1001)).Sent(Side.Outside);
        gateway.Send(Ike.EspIn(0x2001)).Sent(Side.Inside);
        Later(gateway);

        gateway.Send(UdpFrame(InsideA, 6000, Remote, 53)).AssertDropped(DropReason.TableFull);
        gateway.Send(Ike.IsakmpOut(InsideA, 0xA1)).AssertDropped(DropReason.TableFull);
        gateway.Send(Ike.IsakmpIn(0xC1, 0)).AssertDropped(DropReason.TableFull);
        Assert.Equal(2, gateway.Gateway.Peers[Remote].EntryCount);
    }
}
