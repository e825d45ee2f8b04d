using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Support;
using static VpnMasq.Protocols.Tests.Frames.TestFrames;

namespace VpnMasq.Protocols.Tests.Frames;

/// <summary>The fields and offsets a dissection carries.</summary>
public sealed class FrameDissectorFieldTests
{
    private static Dissection Dissect(byte[] datagram) => FrameDissector.Dissect(LinkType.Ethernet, Ethernet(datagram));

    [Fact]
    public void Dissect_Tcp_ReadsPortsAndFlags()
    {
        var d = Dissect(TcpSyn());

        Assert.Equal((50000, 1723, TcpFlags.Syn), (d.SourcePort, d.DestinationPort, d.TcpFlags));
    }

    [Fact]
    public void Dissect_TcpWithOptions_PutsApplicationAfterTheOptions() => Assert.Equal(14 + 20 + 24, Dissect(TcpSyn()).ApplicationOffset);

    [Fact]
    public void Dissect_Ipv4_ReadsAddressesAndProtocol()
    {
        var d = Dissect(OpenVpnUdp());

        Assert.Equal((Datagrams.Inside, Datagrams.Remote, IpProtocol.Udp), (d.Source, d.Destination, d.Protocol));
    }

    [Fact]
    public void Dissect_VlanTaggedFrame_FindsIpv4After18Bytes()
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, Ethernet(OpenVpnUdp(), vlan: 42));

        Assert.Equal((FrameKind.Udp, 18), (d.Kind, d.NetworkOffset));
    }

    [Fact]
    public void Dissect_FramePaddedTo60Bytes_EndsNetworkAtTotalLength()
    {
        var frame = Ethernet(NatTKeepalive());
        Array.Resize(ref frame, 60);

        Assert.Equal(14 + 29, FrameDissector.Dissect(LinkType.Ethernet, frame).NetworkEnd);
    }

    [Fact]
    public void Dissect_PaddedKeepalive_IsStillKeepalive()
    {
        var frame = Ethernet(NatTKeepalive());
        Array.Resize(ref frame, 60);

        Assert.Equal(FrameKind.NatTKeepalive, FrameDissector.Dissect(LinkType.Ethernet, frame).Kind);
    }

    [Fact]
    public void Dissect_Ieee8023Frame_IsNotIpv4WithoutError()
    {
        var frame = Ethernet(new byte[46], etherType: 46);
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);

        Assert.Equal((FrameKind.NotIpv4, ParseStatus.Ok), (d.Kind, d.Status));
    }

    [Fact]
    public void Dissect_LinuxCooked_FindsIpv4After16Bytes()
    {
        byte[] frame = [.. Datagrams.Hex("0000 0001 0006 020000000001 0000 0800"), .. OpenVpnUdp()];
        var d = FrameDissector.Dissect(LinkType.LinuxCooked, frame);

        Assert.Equal((FrameKind.Udp, 16), (d.Kind, d.NetworkOffset));
    }

    [Theory]
    [InlineData("02000000")] // written by a little-endian host
    [InlineData("00000002")] // written by a big-endian host
    public void Dissect_NullLoopbackAfInet_FindsIpv4After4Bytes(string family)
    {
        byte[] frame = [.. Datagrams.Hex(family), .. OpenVpnUdp()];
        var d = FrameDissector.Dissect(LinkType.Null, frame);

        Assert.Equal((FrameKind.Udp, 4), (d.Kind, d.NetworkOffset));
    }

    [Fact]
    public void Dissect_NullLoopbackOtherFamily_IsNotIpv4()
    {
        byte[] frame = [.. Datagrams.Hex("18000000"), .. new byte[40]]; // AF_INET6 on BSD
        Assert.Equal(FrameKind.NotIpv4, FrameDissector.Dissect(LinkType.Null, frame).Kind);
    }

    [Theory]
    [InlineData(LinkType.Raw)]
    [InlineData(LinkType.Ipv4)]
    public void Dissect_RawIp_FindsIpv4AtOffset0(LinkType linkType)
    {
        var d = FrameDissector.Dissect(linkType, OpenVpnUdp());

        Assert.Equal((FrameKind.Udp, 0), (d.Kind, d.NetworkOffset));
    }

    [Fact]
    public void Dissect_Icmp_ReadsTypeAndIdentifier()
    {
        var d = Dissect(EchoRequest());

        Assert.Equal((IcmpType.EchoRequest, (ushort)0x4D2), (d.IcmpType, d.IcmpIdentifier));
    }

    [Fact]
    public void Dissect_Esp_ReadsSpi() => Assert.Equal(0xC0FF_EE01u, Dissect(EspPacket()).Spi);

    [Fact]
    public void Dissect_Ah_ReadsSpi() => Assert.Equal(0xCAFE_BABEu, Dissect(AhPacket()).Spi);

    [Fact]
    public void Dissect_NatTEsp_ReadsSpi() => Assert.Equal(0xC0FF_EE02u, Dissect(NatTEspPacket()).Spi);

    [Fact]
    public void Dissect_Gre_ReadsVersionAndCallId()
    {
        var d = Dissect(GreV1());

        Assert.Equal(((byte)1, (ushort)0x4A2B), (d.GreVersion, d.GreCallId));
    }

    [Fact]
    public void Dissect_Isakmp_ReadsCookiesAndVersion()
    {
        var d = Dissect(IkeOnPort500());

        Assert.Equal((Initiator, Responder, (byte)1), (d.InitiatorCookie, d.ResponderCookie, d.IsakmpMajorVersion));
    }

    [Fact]
    public void Dissect_Isakmp_PutsApplicationAtTheIsakmpHeader() => Assert.Equal(14 + 20 + 8, Dissect(IkeOnPort500()).ApplicationOffset);

    [Fact]
    public void Dissect_NatTIsakmp_PutsApplicationAfterTheNonEspMarker() => Assert.Equal(14 + 20 + 8 + 4, Dissect(NatTIke()).ApplicationOffset);

    [Fact]
    public void Dissect_Fragment_ReadsIdentification() => Assert.Equal(77, Dissect(Fragment()).IpIdentification);

    [Fact]
    public void Dissect_FirstFragmentOnPort500_IsUdpWithoutReadingIsakmp()
    {
        var ip = new Ipv4Fields(Datagrams.Inside, Datagrams.Remote, IpProtocol.Udp, 0, MoreFragments: true);
        var udp = Datagrams.UdpSegment(500, 500, IsakmpMessage(1).AsSpan(0, 16)); // the rest arrives later
        udp[5] = 200;                                                              // UDP length covers all of it

        var d = Dissect(Datagrams.BuildUnchecked(ip, udp));

        Assert.Equal((FrameKind.Udp, ParseStatus.Ok, true), (d.Kind, d.Status, d.IsFragment));
    }
}
