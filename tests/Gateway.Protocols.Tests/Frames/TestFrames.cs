using VpnMasq.Protocols.Esp;
using VpnMasq.Protocols.Gre;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Support;

namespace VpnMasq.Protocols.Tests.Frames;

/// <summary>One hand-assembled frame per thing the dissector tells apart.</summary>
internal static class TestFrames
{
    public const ulong Initiator = 0x0102_0304_0506_0708;
    public const ulong Responder = 0xA1A2_A3A4_A5A6_A7A8;

    public static byte[] Ethernet(byte[] datagram, ushort etherType = EtherType.Ipv4, ushort? vlan = null)
    {
        var eth = new EthernetFields(0x02_00_00_00_00_01, 0x02_00_00_00_00_02, etherType, vlan);
        var frame = new byte[eth.Length + datagram.Length];
        eth.WriteTo(frame);
        datagram.CopyTo(frame, eth.Length);
        return frame;
    }

    public static byte[] TcpSyn() => Datagrams.Tcp(new TcpFields(50000, 1723, 1, 0, TcpFlags.Syn, Options: [2, 4, 5, 0xB4]), []);

    public static byte[] OpenVpnUdp() => Datagrams.Udp(1194, 1194, "data"u8);

    public static byte[] EchoRequest() => Datagrams.Icmp(new IcmpFields(IcmpType.EchoRequest, 0, 0x4D2, 1), "ping"u8);

    public static byte[] EspPacket() => Ip(IpProtocol.Esp, Concat(Write(new EspFields(0xC0FF_EE01, 1)), new byte[16]));

    public static byte[] AhPacket() => Ip(IpProtocol.Ah, Datagrams.Hex("32 04 0000 cafebabe 00000001 000000000000000000000000"));

    public static byte[] GreV1()
    {
        var gre = GreFields.Enhanced(callId: 0x4A2B, payloadLength: 4, sequence: 1);
        var bytes = new byte[gre.Length + 4];
        gre.WriteTo(bytes);
        return Ip(IpProtocol.Gre, bytes);
    }

    public static byte[] IkeOnPort500(byte majorVersion = 1) => Datagrams.Udp(500, 500, IsakmpMessage(majorVersion));

    public static byte[] NatTIke() => Datagrams.Udp(4500, 4500, Concat(new byte[4], IsakmpMessage(2)));

    public static byte[] NatTEspPacket() => Datagrams.Udp(4500, 4500, Concat(Write(new EspFields(0xC0FF_EE02, 1)), new byte[16]));

    public static byte[] NatTKeepalive() => Datagrams.Udp(4500, 4500, [0xFF]);

    public static byte[] Fragment() => Datagrams.BuildUnchecked(
        new Ipv4Fields(Datagrams.Inside, Datagrams.Remote, IpProtocol.Udp, 0, Identification: 77, FragmentOffsetBytes: 1480),
        new byte[40]);

    public static byte[] Sctp() => Ip(132, new byte[12]);

    public static byte[] Arp() => Ethernet(new byte[28], EtherType.Arp);

    public static byte[] Ip(byte protocol, byte[] payload) =>
        Datagrams.Build(new Ipv4Fields(Datagrams.Inside, Datagrams.Remote, protocol, 0), payload);

    public static byte[] IsakmpMessage(byte majorVersion)
    {
        var bytes = new byte[IsakmpHeader.Length];
        new IsakmpFields(Initiator, Responder, 33, majorVersion, 0, 34, 0x08, 0, IsakmpHeader.Length).WriteTo(bytes);
        return bytes;
    }

    private static byte[] Write(EspFields esp)
    {
        var bytes = new byte[EspHeader.Length];
        esp.WriteTo(bytes);
        return bytes;
    }

    private static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];
}
