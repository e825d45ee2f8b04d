using System.Buffers.Binary;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Checksums;

/// <summary>Full TCP/UDP/ICMP checksum computation over an IPv4 datagram, for building and verifying.</summary>
internal static class TransportChecksum
{
    /// <summary>Offset of the checksum field inside the transport header, or -1 if the protocol has none we maintain.</summary>
    public static int FieldOffset(byte protocol) => protocol switch
    {
        IpProtocol.Tcp => 16,
        IpProtocol.Udp => 6,
        IpProtocol.Icmp => 2,
        _ => -1,
    };

    /// <summary>Computes the transport checksum of a complete, unfragmented IPv4 datagram (field treated as 0).</summary>
    public static ushort Compute(ReadOnlySpan<byte> datagram)
    {
        int headerLength = (datagram[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        byte protocol = datagram[Ipv4Header.ProtocolOffset];
        var segment = datagram[headerLength..totalLength];
        int field = FieldOffset(protocol);
        uint sum = protocol == IpProtocol.Icmp
            ? 0
            : InternetChecksum.PseudoHeaderSum(
                BinaryPrimitives.ReadUInt32BigEndian(datagram[Ipv4Header.SourceOffset..]),
                BinaryPrimitives.ReadUInt32BigEndian(datagram[Ipv4Header.DestinationOffset..]),
                protocol,
                segment.Length);
        sum = InternetChecksum.Add(sum, segment[..field]);
        sum = InternetChecksum.Add(sum, segment[(field + 2)..]);
        ushort checksum = InternetChecksum.Finish(sum);

        // A computed UDP checksum of 0 is sent as all ones: 0 means "no checksum" (RFC 768).
        return protocol == IpProtocol.Udp && checksum == 0 ? (ushort)0xFFFF : checksum;
    }

    /// <summary>Writes the IPv4 header checksum and the transport checksum of a complete datagram.</summary>
    public static void Fill(Span<byte> datagram)
    {
        int headerLength = (datagram[0] & 0x0F) * 4;
        BinaryPrimitives.WriteUInt16BigEndian(datagram[Ipv4Header.ChecksumOffset..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[Ipv4Header.ChecksumOffset..], InternetChecksum.Compute(datagram[..headerLength]));
        int field = FieldOffset(datagram[Ipv4Header.ProtocolOffset]);
        if (field >= 0)
            BinaryPrimitives.WriteUInt16BigEndian(datagram[(headerLength + field)..], Compute(datagram));
    }

    /// <summary>
    /// True when the IPv4 header checksum and (for an unfragmented TCP/UDP/ICMP datagram) the
    /// transport checksum are valid. A UDP checksum of 0 (none) counts as valid.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> datagram)
    {
        if (Ipv4Header.Parse(datagram, out var ip) != ParseStatus.Ok || !ip.ChecksumValid)
            return false;
        int field = FieldOffset(ip.Protocol);
        if (field < 0 || ip.IsFragment || ip.Payload.Length < field + 2)
            return true;
        ushort stored = BinaryPrimitives.ReadUInt16BigEndian(ip.Payload[field..]);
        if (ip.Protocol == IpProtocol.Udp && stored == 0)
            return true;
        return stored == Compute(ip.Packet);
    }

    /// <summary>
    /// Completes a TCP/UDP checksum its sender left to checksum offload. A frame captured on the
    /// host that sent it, or across a veth or virtio link, carries only the folded pseudo-header sum
    /// (Linux CHECKSUM_PARTIAL); the NIC would have finished it. Rewriting such a checksum
    /// incrementally keeps it unfinished, and the receiver drops the packet. Only that exact value
    /// is completed: a checksum that is merely wrong stays wrong. Returns true when it completed one.
    /// </summary>
    public static bool CompleteOffloaded(Span<byte> datagram)
    {
        if (datagram.Length < Ipv4Header.MinLength)
            return false;
        int headerLength = (datagram[0] & 0x0F) * 4;
        byte protocol = datagram[Ipv4Header.ProtocolOffset];
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        bool fragment = (BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]) & 0x3FFF) != 0;
        if (protocol is not (IpProtocol.Tcp or IpProtocol.Udp) || fragment || headerLength < Ipv4Header.MinLength
            || totalLength > datagram.Length || totalLength < headerLength + FieldOffset(protocol) + 2)
            return false;
        var field = datagram[(headerLength + FieldOffset(protocol))..];
        ushort stored = BinaryPrimitives.ReadUInt16BigEndian(field);
        if (!IsPseudoHeaderSumOnly(datagram, protocol, totalLength - headerLength, stored))
            return false;
        ushort full = Compute(datagram[..totalLength]);
        if (stored == full)
            return false;
        BinaryPrimitives.WriteUInt16BigEndian(field, full);
        return true;
    }

    /// <summary>
    /// True when <paramref name="stored"/> is what Linux leaves for offload (CHECKSUM_PARTIAL): the folded
    /// pseudo-header sum alone, over <paramref name="transportLength"/> bytes of <paramref name="protocol"/>.
    /// </summary>
    internal static bool IsPseudoHeaderSumOnly(ReadOnlySpan<byte> datagram, byte protocol, int transportLength, ushort stored)
    {
        uint sum = InternetChecksum.PseudoHeaderSum(
            BinaryPrimitives.ReadUInt32BigEndian(datagram[Ipv4Header.SourceOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[Ipv4Header.DestinationOffset..]),
            protocol,
            transportLength);
        return stored == (ushort)~InternetChecksum.Finish(sum);
    }
}
