using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Tests.Support;
using static VpnMasq.Protocols.Tests.Frames.TestFrames;

namespace VpnMasq.Protocols.Tests.Frames;

/// <summary>Where dissection stops on bad frames, and that it never throws on them.</summary>
public sealed class FrameDissectorFailureTests
{
    private static Dissection Dissect(byte[] datagram) => FrameDissector.Dissect(LinkType.Ethernet, Ethernet(datagram));

    [Fact]
    public void Dissect_TruncatedEthernet_FailsAtLinkTooShort()
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, new byte[10]);

        Assert.Equal((ParseStatus.TooShort, FrameLayer.Link), (d.Status, d.FailedLayer));
    }

    [Fact]
    public void Dissect_UnknownLinkType_FailsAtLinkUnsupported()
    {
        var d = FrameDissector.Dissect((LinkType)147, OpenVpnUdp());

        Assert.Equal((ParseStatus.Unsupported, FrameLayer.Link), (d.Status, d.FailedLayer));
    }

    [Fact]
    public void Dissect_Ipv6BytesUnderIpv4EtherType_FailsAtNetworkMalformed()
    {
        var datagram = OpenVpnUdp();
        datagram[0] = 0x65;
        var d = Dissect(datagram);

        Assert.Equal((ParseStatus.Malformed, FrameLayer.Network), (d.Status, d.FailedLayer));
    }

    [Fact]
    public void Dissect_TcpDataOffset4_FailsAtTransportMalformed()
    {
        var datagram = TcpSyn();
        datagram[20 + 12] = 0x40;
        var d = Dissect(datagram);

        Assert.Equal((ParseStatus.Malformed, FrameLayer.Transport), (d.Status, d.FailedLayer));
    }

    [Fact]
    public void Dissect_IsakmpVersion3OnPort500_FailsAtApplicationMalformed()
    {
        var d = Dissect(Datagrams.Udp(500, 500, IsakmpMessage(3)));

        Assert.Equal((ParseStatus.Malformed, FrameLayer.Application), (d.Status, d.FailedLayer));
    }

    [Fact]
    public void Dissect_TwoBytesOnPort4500_FailsAtApplicationTooShort()
    {
        var d = Dissect(Datagrams.Udp(4500, 4500, [1, 2]));

        Assert.Equal((ParseStatus.TooShort, FrameLayer.Application), (d.Status, d.FailedLayer));
    }

    public static TheoryData<string> Ipv4Frames() => new()
    {
        nameof(TestFrames.TcpSyn), nameof(TestFrames.OpenVpnUdp), nameof(TestFrames.EchoRequest), nameof(TestFrames.EspPacket),
        nameof(TestFrames.AhPacket), nameof(TestFrames.GreV1), nameof(TestFrames.NatTIke), nameof(TestFrames.NatTEspPacket),
        nameof(TestFrames.NatTKeepalive), nameof(TestFrames.Fragment), nameof(TestFrames.Sctp),
    };

    [Theory]
    [MemberData(nameof(Ipv4Frames))]
    public void Dissect_EveryTruncatedPrefix_FailsWithoutThrowing(string kind)
    {
        var datagram = (byte[])typeof(TestFrames).GetMethod(kind)!.Invoke(null, null)!;
        var frame = Ethernet(datagram);
        for (int length = 0; length < frame.Length; length++)
            Assert.False(FrameDissector.Dissect(LinkType.Ethernet, frame.AsSpan(0, length)).IsOk, $"prefix of {length} bytes");
    }
}
