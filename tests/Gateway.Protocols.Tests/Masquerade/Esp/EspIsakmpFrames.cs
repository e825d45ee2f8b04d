using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Esp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Protocols.Tests.Masquerade.Esp;

/// <summary>
/// Ethernet frames for the ESP, AH, ISAKMP/IKE and NAT-T masquerade tests, built with the library's
/// own Fields writers and valid checksums. "Out" frames go from an inside host to the remote, "In"
/// frames from the remote to the public address.
/// </summary>
internal static class EspIsakmpFrames
{
    public const uint HostA = 0x0A00_0002;   // 10.0.0.2
    public const uint HostB = 0x0A00_0003;   // 10.0.0.3
    public const uint Public = 0xC8C8_C8C8;  // 200.200.200.200
    public const uint Remote = 0xC700_0001;  // 199.0.0.1
    public const ushort IkePort = 500;

    private const int EthernetLength = 14;
    private static readonly byte[] Opaque = [0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C];

    public static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    public static byte[] EspOut(uint inside, uint spi, uint sequence = 1) => EspFrame(inside, Remote, spi, sequence);

    public static byte[] EspIn(uint spi, uint sequence = 1) => EspFrame(Remote, Public, spi, sequence);

    public static byte[] EspFrame(uint source, uint destination, uint spi, uint sequence)
    {
        var segment = new byte[EspHeader.Length + Opaque.Length];
        new EspFields(spi, sequence).WriteTo(segment);
        Opaque.CopyTo(segment, EspHeader.Length);
        return Frame(source, destination, IpProtocol.Esp, segment);
    }

    /// <summary>An AH header (RFC 4302) with a 12-byte ICV: Payload Len = 24 / 4 - 2 = 4.</summary>
    public static byte[] AhFrame(uint source, uint destination, uint spi)
    {
        var segment = new byte[24 + Opaque.Length];
        segment[0] = IpProtocol.Tcp;
        segment[1] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), spi);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), 1);
        Opaque.CopyTo(segment, 24);
        return Frame(source, destination, IpProtocol.Ah, segment);
    }

    public static byte[] IsakmpOut(uint inside, ulong initiatorCookie, ulong responderCookie = 0, byte version = 1, int bodyLength = 8) =>
        UdpFrame(inside, IkePort, Remote, IkePort, IsakmpMessage(initiatorCookie, responderCookie, version, fromInitiator: true, bodyLength));

    public static byte[] IsakmpIn(ulong initiatorCookie, ulong responderCookie, byte version = 1, bool fromInitiator = false) =>
        UdpFrame(Remote, IkePort, Public, IkePort, IsakmpMessage(initiatorCookie, responderCookie, version, fromInitiator));

    /// <summary>IKE on UDP 4500: the four-byte non-ESP marker, then the ISAKMP header (RFC 3947 §4).</summary>
    public static byte[] NatTIsakmpOut(uint inside, ulong initiatorCookie, ulong responderCookie = 0) =>
        UdpFrame(inside, NatTraversal.Port, Remote, NatTraversal.Port, [0, 0, 0, 0, .. IsakmpMessage(initiatorCookie, responderCookie, 1, true)]);

    public static byte[] NatTIsakmpIn(ushort publicPort, ulong initiatorCookie, ulong responderCookie) =>
        UdpFrame(Remote, NatTraversal.Port, Public, publicPort, [0, 0, 0, 0, .. IsakmpMessage(initiatorCookie, responderCookie, 1, false)]);

    /// <summary>A NAT-keepalive: one 0xFF byte (RFC 3948 §2.3).</summary>
    public static byte[] NatTKeepaliveOut(uint inside) => UdpFrame(inside, NatTraversal.Port, Remote, NatTraversal.Port, [0xFF]);

    public static byte[] NatTEspOut(uint inside, uint spi) => UdpFrame(inside, NatTraversal.Port, Remote, NatTraversal.Port, EspPayload(spi));

    public static byte[] NatTEspIn(ushort publicPort, uint spi) => UdpFrame(Remote, NatTraversal.Port, Public, publicPort, EspPayload(spi));

    public static byte[] UdpFrame(uint source, ushort sourcePort, uint destination, ushort destinationPort, ReadOnlySpan<byte> data)
    {
        var segment = new byte[UdpHeader.Length + data.Length];
        new UdpFields(sourcePort, destinationPort, (ushort)segment.Length).WriteTo(segment);
        data.CopyTo(segment.AsSpan(UdpHeader.Length));
        return Frame(source, destination, IpProtocol.Udp, segment);
    }

    /// <summary>
    /// An ISAKMP (IKEv1 Main Mode) or IKEv2 (IKE_SA_INIT) header plus <paramref name="bodyLength"/> opaque payload bytes.
    /// IKEv2 marks requests from the original initiator with the I flag and responses with R.
    /// </summary>
    public static byte[] IsakmpMessage(ulong initiatorCookie, ulong responderCookie, byte version, bool fromInitiator, int bodyLength = 8)
    {
        var message = new byte[IsakmpHeader.Length + bodyLength];
        byte flags = version == 2 ? (fromInitiator ? (byte)0x08 : (byte)0x20) : (byte)0;
        var fields = new IsakmpFields(
            initiatorCookie, responderCookie,
            NextPayload: version == 2 ? (byte)33 : (byte)1,
            MajorVersion: version, MinorVersion: 0,
            ExchangeType: version == 2 ? (byte)34 : (byte)2,
            Flags: flags, MessageId: 0, MessageLength: (uint)message.Length);
        fields.WriteTo(message);
        for (int i = IsakmpHeader.Length; i < message.Length; i++)
            message[i] = Opaque[i % Opaque.Length];
        return message;
    }

    /// <summary>Wraps a transport segment in IPv4 and Ethernet and fills the IP and transport checksums.</summary>
    public static byte[] Frame(uint source, uint destination, byte protocol, ReadOnlySpan<byte> segment)
    {
        var ip = new Ipv4Fields(source, destination, protocol, (ushort)(Ipv4Header.MinLength + segment.Length), Identification: 0x1234);
        var frame = new byte[EthernetLength + ip.TotalLength];
        new EthernetFields(0x0200_0000_0001, 0x0200_0000_0002, EtherType.Ipv4).WriteTo(frame);
        int at = EthernetLength + ip.WriteTo(frame.AsSpan(EthernetLength));
        segment.CopyTo(frame.AsSpan(at));
        TransportChecksum.Fill(Datagram(frame));
        return frame;
    }

    public static Span<byte> Datagram(byte[] frame) =>
        frame.AsSpan(EthernetLength, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(EthernetLength + 2)));

    public static uint SourceOf(byte[] frame) => BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(EthernetLength + 12));

    public static uint DestinationOf(byte[] frame) => BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(EthernetLength + 16));

    public static ushort SourcePortOf(byte[] frame) => BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(EthernetLength + Ipv4Header.MinLength));

    public static ushort DestinationPortOf(byte[] frame) => BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(EthernetLength + Ipv4Header.MinLength + 2));

    /// <summary>The SPI of a raw ESP frame.</summary>
    public static uint EspSpiOf(byte[] frame) => BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(EthernetLength + Ipv4Header.MinLength));

    private static byte[] EspPayload(uint spi)
    {
        var payload = new byte[EspHeader.Length + Opaque.Length];
        new EspFields(spi, 1).WriteTo(payload);
        Opaque.CopyTo(payload, EspHeader.Length);
        return payload;
    }
}
