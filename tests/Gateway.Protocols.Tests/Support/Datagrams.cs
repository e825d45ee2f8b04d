using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Protocols.Tests.Support;

/// <summary>Builds complete IPv4 datagrams from the library's own Fields writers.</summary>
internal static class Datagrams
{
    public const uint Inside = 0x0A00_0002;   // 10.0.0.2
    public const uint Remote = 0xC700_0001;   // 199.0.0.1

    /// <summary>Wraps <paramref name="segment"/> in <paramref name="ip"/> (Total Length set here) and fills both checksums.</summary>
    public static byte[] Build(Ipv4Fields ip, ReadOnlySpan<byte> segment)
    {
        var bytes = BuildUnchecked(ip, segment);
        TransportChecksum.Fill(bytes);
        return bytes;
    }

    /// <summary>As <see cref="Build"/>, but only the IP header checksum is written (for fragments).</summary>
    public static byte[] BuildUnchecked(Ipv4Fields ip, ReadOnlySpan<byte> segment)
    {
        var fields = ip with { TotalLength = (ushort)(ip.HeaderLength + segment.Length) };
        var bytes = new byte[fields.TotalLength];
        int at = fields.WriteTo(bytes);
        segment.CopyTo(bytes.AsSpan(at));
        return bytes;
    }

    public static byte[] Tcp(TcpFields tcp, ReadOnlySpan<byte> data, uint source = Inside, uint destination = Remote) =>
        Build(new Ipv4Fields(source, destination, IpProtocol.Tcp, 0), TcpSegment(tcp, data));

    public static byte[] Udp(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data, uint source = Inside, uint destination = Remote) =>
        Build(new Ipv4Fields(source, destination, IpProtocol.Udp, 0), UdpSegment(sourcePort, destinationPort, data));

    public static byte[] Icmp(IcmpFields icmp, ReadOnlySpan<byte> data, uint source = Inside, uint destination = Remote) =>
        Build(new Ipv4Fields(source, destination, IpProtocol.Icmp, 0), IcmpMessage(icmp, data));

    public static byte[] TcpSegment(TcpFields tcp, ReadOnlySpan<byte> data)
    {
        var segment = new byte[tcp.HeaderLength + data.Length];
        int at = tcp.WriteTo(segment);
        data.CopyTo(segment.AsSpan(at));
        return segment;
    }

    public static byte[] UdpSegment(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data)
    {
        var segment = new byte[UdpHeader.Length + data.Length];
        new UdpFields(sourcePort, destinationPort, (ushort)segment.Length).WriteTo(segment);
        data.CopyTo(segment.AsSpan(UdpHeader.Length));
        return segment;
    }

    public static byte[] IcmpMessage(IcmpFields icmp, ReadOnlySpan<byte> data)
    {
        var message = new byte[IcmpHeader.Length + data.Length];
        icmp.WriteTo(message);
        data.CopyTo(message.AsSpan(IcmpHeader.Length));
        return message;
    }

    public static int HeaderLength(ReadOnlySpan<byte> datagram) => (datagram[0] & 0x0F) * 4;

    public static ReadOnlySpan<byte> Segment(ReadOnlySpan<byte> datagram) => datagram[HeaderLength(datagram)..];

    public static ushort StoredHeaderChecksum(ReadOnlySpan<byte> datagram) => BinaryPrimitives.ReadUInt16BigEndian(datagram[10..]);

    /// <summary>The IP header checksum computed from scratch (RFC 1071), ignoring what is stored.</summary>
    public static ushort RecomputedHeaderChecksum(ReadOnlySpan<byte> datagram)
    {
        var header = datagram[..HeaderLength(datagram)].ToArray();
        header[10] = 0;
        header[11] = 0;
        return InternetChecksum.Compute(header);
    }

    /// <summary>The stored transport checksum (TCP 16, UDP 6, ICMP 2).</summary>
    public static ushort StoredTransportChecksum(ReadOnlySpan<byte> datagram) =>
        BinaryPrimitives.ReadUInt16BigEndian(Segment(datagram)[TransportChecksum.FieldOffset(datagram[9])..]);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
