using VpnMasq.Node.Live;
using VpnMasq.Node.Tests.Replay;
using VpnMasq.Protocols;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Tests.Captures;

namespace VpnMasq.Node.Tests.Live;

/// <summary>
/// A point-to-point link's packets get the Ethernet header the pipeline reads, and lose it again on the way out.
/// Golden inputs: a real raw-IP capture (../shared/captures) and ppp0-cooked-ping.pcap, one ping captured with
/// <c>tcpdump -i ppp0</c> (libpcap 1.10.3) on a ppp-typed TUN from scripts/e2e/tun-link.py: Linux cooked capture
/// as libpcap gives it for a ppp device, the echo request as sent by the host, the reply as received.
/// </summary>
public sealed class EthernetFramingTests
{
    private static readonly string CookedPing = Path.Combine(RepositoryPaths.Root, "tests", "Gateway.Node.Tests", "Live", "ppp0-cooked-ping.pcap");

    private static byte[] RawIpPacket() =>
        CaptureFile.Read(Path.Combine(RepositoryPaths.SharedCaptures, "sv-IKEv2_SA_INIT_2-8-weak.pcap")).Single().Data;

    private static CaptureRecord CookedReply() => CaptureFile.Read(CookedPing)[1];

    private static CaptureRecord CookedRequestSentByTheHost() => CaptureFile.Read(CookedPing)[0];

    [Fact]
    public void FromRawIp_RealPacket_IsThePacketBehindAnIpv4EthernetHeader()
    {
        var packet = RawIpPacket();

        var frame = EthernetFraming.FromRawIp(packet)!;

        Assert.Equal(ParseStatus.Ok, EthernetHeader.Parse(frame, out var header));
        Assert.Equal(EtherType.Ipv4, header.EtherType);
        Assert.Equal(packet, frame[EthernetHeader.UntaggedLength..]);
    }

    [Fact]
    public void FromRawIp_RealPacket_DissectsAsEthernetAsTheRawPacketDoesAsRawIp()
    {
        var packet = RawIpPacket();

        var framed = FrameDissector.Dissect(LinkType.Ethernet, EthernetFraming.FromRawIp(packet)!);
        var raw = FrameDissector.Dissect(LinkType.Raw, packet);

        Assert.True(framed.IsOk);
        Assert.Equal((raw.Kind, raw.Source, raw.Destination, raw.SourcePort, raw.DestinationPort, raw.InitiatorCookie),
            (framed.Kind, framed.Source, framed.Destination, framed.SourcePort, framed.DestinationPort, framed.InitiatorCookie));
    }

    [Fact]
    public void ToRawIp_OfAFramedPacket_IsThePacketAgain()
    {
        var packet = RawIpPacket();

        Assert.Equal(packet, EthernetFraming.ToRawIp(EthernetFraming.FromRawIp(packet)!).ToArray());
    }

    [Theory]
    [InlineData("60000000000011ff")] // IPv6 on a tun: not for an IPv4 gateway
    [InlineData("")]
    public void FromRawIp_NotIpv4_IsNotFramed(string hex) => Assert.Null(EthernetFraming.FromRawIp(Convert.FromHexString(hex)));

    [Fact]
    public void FromLinuxCooked_PacketTheHostReceived_IsFramedWithoutTheCookedHeader()
    {
        var reply = CookedReply();
        Assert.Equal(LinkType.LinuxCooked, reply.LinkType);

        var frame = EthernetFraming.FromLinuxCooked(reply.Data)!;

        Assert.Equal(reply.Data[LinuxCookedHeader.Length..], frame[EthernetHeader.UntaggedLength..]);
        Assert.Equal(FrameKind.Icmp, FrameDissector.Dissect(LinkType.Ethernet, frame).Kind);
    }

    [Fact]
    public void FromLinuxCooked_PacketTheHostSent_IsNotFramed() =>
        Assert.Null(EthernetFraming.FromLinuxCooked(CookedRequestSentByTheHost().Data));

    [Fact]
    public void FromLinuxCooked_AnotherProtocol_IsNotFramed()
    {
        var data = CookedReply().Data;
        data[15] = 0x06; // protocol 0x0806, ARP

        Assert.Null(EthernetFraming.FromLinuxCooked(data));
    }

    [Fact]
    public void FromLinuxCooked_EveryTruncatedHeader_IsNotFramed_WithoutThrowing()
    {
        var data = CookedReply().Data;
        for (int length = 0; length < LinuxCookedHeader.Length; length++)
            Assert.Null(EthernetFraming.FromLinuxCooked(data.AsSpan(0, length)));
    }
}
