using CsCheck;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Protocols.Tests.Support;

internal enum TransportKind
{
    Tcp,
    Udp,
    UdpWithoutChecksum,
    Icmp,
}

/// <summary>CsCheck generators for header fields and for whole, valid IPv4 datagrams.</summary>
internal static class Generators
{
    /// <summary>Application data of both parities, so segments end on odd bytes as often as on even ones.</summary>
    public static readonly Gen<byte[]> Data = Gen.Byte.Array[0, 65];

    public static readonly Gen<byte[]?> AnyOptions = Gen.Int[0, 10].SelectMany(OptionWords);

    public static readonly Gen<IcmpType> QueryType = Element(
        IcmpType.EchoRequest, IcmpType.EchoReply, IcmpType.TimestampRequest, IcmpType.TimestampReply,
        IcmpType.InformationRequest, IcmpType.InformationReply, IcmpType.AddressMaskRequest, IcmpType.AddressMaskReply);

    public static readonly Gen<byte[]> AnyDatagram = Gen.Int[0, 3].SelectMany(kind => Datagram((TransportKind)kind));

    public static readonly Gen<byte[]> TcpOrUdpDatagram = Gen.Int[0, 2].SelectMany(kind => Datagram((TransportKind)kind));

    /// <summary>IPv4 or TCP options: <paramref name="words"/> 32-bit words of random bytes (null for none).</summary>
    public static Gen<byte[]?> OptionWords(int words) =>
        words == 0 ? Gen.Const((byte[]?)null) : Gen.Byte.Array[4 * words].Select(bytes => (byte[]?)bytes);

    public static Gen<TcpFields> Tcp(Gen<byte[]?> options) =>
        Gen.Select(Gen.UShort, Gen.UShort, Gen.UInt, Gen.UInt, Gen.Byte, Gen.UShort, Gen.UShort, Gen.UShort)
            .SelectMany(t => options.Select(o => new TcpFields(t.Item1, t.Item2, t.Item3, t.Item4, (TcpFlags)t.Item5, t.Item6, t.Item7, t.Item8, o)));

    /// <summary>An unfragmented IPv4 header for <paramref name="protocol"/>; Total Length is left for the builder.</summary>
    public static Gen<Ipv4Fields> Ipv4(byte protocol) =>
        Gen.Select(Gen.UInt, Gen.UInt, Gen.UShort, Gen.Bool, Gen.Byte, Gen.Byte, AnyOptions)
            .Select(t => new Ipv4Fields(t.Item1, t.Item2, protocol, 0, t.Item3, t.Item4, false, 0, t.Item5, t.Item6, t.Item7));

    /// <summary>A complete datagram with valid IP header and transport checksums (or UDP checksum 0).</summary>
    public static Gen<byte[]> Datagram(TransportKind kind) => kind switch
    {
        TransportKind.Tcp => Gen.Select(Ipv4(IpProtocol.Tcp), Tcp(AnyOptions), Data)
            .Select(t => Datagrams.Build(t.Item1, Datagrams.TcpSegment(t.Item2, t.Item3))),
        TransportKind.Udp => Gen.Select(Ipv4(IpProtocol.Udp), Gen.UShort, Gen.UShort, Data)
            .Select(t => Datagrams.Build(t.Item1, Datagrams.UdpSegment(t.Item2, t.Item3, t.Item4))),
        TransportKind.UdpWithoutChecksum => Datagram(TransportKind.Udp).Select(WithoutUdpChecksum),
        TransportKind.Icmp => Gen.Select(Ipv4(IpProtocol.Icmp), QueryType, Gen.UShort, Gen.UShort, Data)
            .Select(t => Datagrams.Build(t.Item1, Datagrams.IcmpMessage(new IcmpFields(t.Item2, 0, t.Item3, t.Item4), t.Item5))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>One of <paramref name="values"/>, uniformly.</summary>
    public static Gen<T> Element<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static byte[] WithoutUdpChecksum(byte[] datagram)
    {
        int at = Datagrams.HeaderLength(datagram) + 6;
        datagram[at] = 0;
        datagram[at + 1] = 0;
        return datagram;
    }
}
