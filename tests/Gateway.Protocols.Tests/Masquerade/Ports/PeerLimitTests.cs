using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Ports;

// Limits (MasqueradeOptions.Limits): a flood cannot grow the table without bound.
public sealed class PeerLimitTests
{
    [Fact]
    public void EntriesPerPeerLimit_EvictsOldestIdleMapping_AsPortUnmappedEvicted()
    {
        var gateway = GatewayUnderTest.Create(o => o with { Limits = new LimitOptions { EntriesPerPeer = 3 } });
        foreach (ushort port in new ushort[] { 1001, 1002, 1003, 1001 })
        {
            gateway.Send(UdpFrame(InsideA, port, Remote, 53));
            gateway.Now += TimeSpan.FromSeconds(1);
        }

        gateway.Send(UdpFrame(InsideA, 1004, Remote, 53)).Sent(Side.Outside);

        var evicted = Assert.Single(gateway.Events.OfType<PortUnmapped>());
        Assert.Equal(new PortUnmapped(gateway.Now, IpProtocol.Udp, 1002, 53, RemovalCause.Evicted), evicted);
        gateway.Send(UdpFrame(Remote, 53, Public, 1002)).AssertDropped(DropReason.NoMapping);
        Assert.Equal(InsideA, Dissect(gateway.Send(UdpFrame(Remote, 53, Public, 1001)).Inside).Destination);
    }

    [Fact]
    public void PeerLimit_RefusesNewPeerAsPeerLimit_KnownPeersGoOn()
    {
        var gateway = GatewayUnderTest.Create(o => o with { Limits = new LimitOptions { Peers = 2 } });
        gateway.Send(UdpFrame(InsideA, 5000, Remote, 53));
        gateway.Send(UdpFrame(InsideA, 5000, Remote + 1, 53));

        var third = gateway.Send(UdpFrame(InsideA, 5000, Remote + 2, 53));

        third.AssertDropped(DropReason.PeerLimit);
        Assert.Equal(Public, Dissect(gateway.Send(UdpFrame(InsideA, 5001, Remote, 53)).Outside).Source);
    }
}
