using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Tests.Support;
using static VpnMasq.Protocols.Tests.Frames.TestFrames;

namespace VpnMasq.Protocols.Tests.Frames;

public sealed class FlowOrderKeyTests
{
    private static ulong KeyOf(byte[] datagram) => FlowOrderKey.Of(FrameDissector.Dissect(LinkType.Ethernet, Ethernet(datagram)));

    [Fact]
    public void Of_TwoDatagramsOfOneUdpFlow_IsTheSame() =>
        Assert.Equal(KeyOf(Datagrams.Udp(1194, 1194, "one"u8)), KeyOf(Datagrams.Udp(1194, 1194, "another"u8)));

    [Fact]
    public void Of_AnotherSourcePort_Differs() =>
        Assert.NotEqual(KeyOf(Datagrams.Udp(1194, 1194, "data"u8)), KeyOf(Datagrams.Udp(1195, 1194, "data"u8)));

    [Fact]
    public void Of_AnotherDestination_Differs()
    {
        var other = Datagrams.Udp(1194, 1194, "data"u8);
        other[Ipv4Header.MinLength - 1] ^= 1; // last byte of the destination address

        Assert.NotEqual(KeyOf(Datagrams.Udp(1194, 1194, "data"u8)), KeyOf(other));
    }

    [Fact]
    public void Of_NatTIkeAndEsp_ShareTheFlowOfTheirPorts() => Assert.Equal(KeyOf(NatTIke()), KeyOf(NatTEspPacket()));

    [Fact]
    public void Of_EspPacketsOfAnotherSpi_Differ()
    {
        var other = EspPacket();
        other[Ipv4Header.MinLength + 3] ^= 1; // low byte of the SPI

        Assert.NotEqual(KeyOf(EspPacket()), KeyOf(other));
    }

    [Fact]
    public void Of_TheSameFrameRewrittenAfterwards_KeepsTheKeyTakenBefore()
    {
        var frame = Ethernet(Datagrams.Udp(1194, 1194, "data"u8));
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        ulong before = FlowOrderKey.Of(d);

        frame[EthernetHeader.UntaggedLength + 12] = 200; // the source address, as a masquerade rewrite changes it

        Assert.Equal(before, FlowOrderKey.Of(d));
    }
}
