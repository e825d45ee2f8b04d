using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using static VpnMasq.Protocols.Tests.Frames.TestFrames;

namespace VpnMasq.Protocols.Tests.Frames;

/// <summary>One test per <see cref="FrameKind"/>, each from an Ethernet frame built by hand.</summary>
public sealed class FrameDissectorTests
{
    private static Dissection Dissect(byte[] datagram) => FrameDissector.Dissect(LinkType.Ethernet, Ethernet(datagram));

    [Fact]
    public void Dissect_Arp_IsNotIpv4() => Assert.Equal(FrameKind.NotIpv4, FrameDissector.Dissect(LinkType.Ethernet, Arp()).Kind);

    [Fact]
    public void Dissect_Tcp_IsTcp() => Assert.Equal(FrameKind.Tcp, Dissect(TcpSyn()).Kind);

    [Fact]
    public void Dissect_Udp_IsUdp() => Assert.Equal(FrameKind.Udp, Dissect(OpenVpnUdp()).Kind);

    [Fact]
    public void Dissect_Icmp_IsIcmp() => Assert.Equal(FrameKind.Icmp, Dissect(EchoRequest()).Kind);

    [Fact]
    public void Dissect_Esp_IsEsp() => Assert.Equal(FrameKind.Esp, Dissect(EspPacket()).Kind);

    [Fact]
    public void Dissect_Ah_IsAh() => Assert.Equal(FrameKind.Ah, Dissect(AhPacket()).Kind);

    [Fact]
    public void Dissect_Gre_IsGre() => Assert.Equal(FrameKind.Gre, Dissect(GreV1()).Kind);

    [Fact]
    public void Dissect_Udp500_IsIsakmp() => Assert.Equal(FrameKind.Isakmp, Dissect(IkeOnPort500()).Kind);

    [Fact]
    public void Dissect_Udp4500WithNonEspMarker_IsNatTIsakmp() => Assert.Equal(FrameKind.NatTIsakmp, Dissect(NatTIke()).Kind);

    [Fact]
    public void Dissect_Udp4500WithSpi_IsNatTEsp() => Assert.Equal(FrameKind.NatTEsp, Dissect(NatTEspPacket()).Kind);

    [Fact]
    public void Dissect_Udp4500SingleFf_IsNatTKeepalive() => Assert.Equal(FrameKind.NatTKeepalive, Dissect(NatTKeepalive()).Kind);

    [Fact]
    public void Dissect_NonFirstFragment_IsFragment() => Assert.Equal(FrameKind.Fragment, Dissect(Fragment()).Kind);

    [Fact]
    public void Dissect_Sctp_IsOtherIp() => Assert.Equal(FrameKind.OtherIp, Dissect(Sctp()).Kind);

    [Fact]
    public void Dissect_EveryFrameKind_IsCoveredAbove()
    {
        // Guards the "one test per kind" list: a new FrameKind needs a test here.
        Assert.Equal(13, Enum.GetValues<FrameKind>().Length);
    }
}
