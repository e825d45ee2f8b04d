using System.Buffers.Binary;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Checksums;

/// <summary>What checking a received datagram's checksums found.</summary>
internal enum IntakeResult : byte
{
    /// <summary>Every checksum verifies (or was left to offload and is now complete).</summary>
    Valid,

    /// <summary>A checksum is wrong: the datagram was damaged on its way, and a rewrite would only hide that.</summary>
    Corrupt,
}

/// <summary>
/// The checksums of a datagram as it arrives, before anything rewrites it. Rewrites update checksums
/// incrementally (RFC 1624), which keeps a valid one valid and a wrong one wrong; so what comes in is
/// checked once here, as a router checks the IPv4 header (RFC 1812 §5.2.2) and Linux conntrack checks
/// TCP/UDP/ICMP (nf_conntrack_checksum). Checksums a sender left to offload are completed, not refused:
/// an IPv4 header checksum of 0 (captured before the NIC filled it) and a TCP/UDP checksum holding only the
/// pseudo-header sum (Linux CHECKSUM_PARTIAL). A transport checksum is checked on whole datagrams only;
/// fragments are checked once reassembled.
/// </summary>
internal static class ChecksumIntake
{
    public static IntakeResult Check(Span<byte> datagram)
    {
        if (datagram.Length < Ipv4Header.MinLength)
            return IntakeResult.Corrupt;
        int headerLength = (datagram[0] & 0x0F) * 4;
        if (headerLength < Ipv4Header.MinLength || headerLength > datagram.Length)
            return IntakeResult.Corrupt;
        var header = datagram[..headerLength];
        if (InternetChecksum.Compute(header) != 0)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(header[Ipv4Header.ChecksumOffset..]) != 0)
                return IntakeResult.Corrupt;
            BinaryPrimitives.WriteUInt16BigEndian(header[Ipv4Header.ChecksumOffset..], InternetChecksum.Compute(header));
        }

        // The transport checksum in one pass over the segment: valid, left to offload (completed), or damaged.
        byte protocol = datagram[Ipv4Header.ProtocolOffset];
        int field = TransportChecksum.FieldOffset(protocol);
        bool fragment = (BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]) & 0x3FFF) != 0;
        if (fragment || field < 0)
            return IntakeResult.Valid;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (totalLength < headerLength || totalLength > datagram.Length)
            return IntakeResult.Corrupt;
        if (totalLength - headerLength < field + 2)
            return IntakeResult.Valid; // no checksum field to check; the dissector judges such a segment
        var checksum = datagram[(headerLength + field)..];
        ushort stored = BinaryPrimitives.ReadUInt16BigEndian(checksum);
        if (protocol == IpProtocol.Udp && stored == 0)
            return IntakeResult.Valid; // UDP without a checksum (RFC 768)
        ushort full = TransportChecksum.Compute(datagram[..totalLength]);
        if (stored == full)
            return IntakeResult.Valid;
        if (protocol is IpProtocol.Tcp or IpProtocol.Udp && TransportChecksum.IsPseudoHeaderSumOnly(datagram, protocol, totalLength - headerLength, stored))
        {
            BinaryPrimitives.WriteUInt16BigEndian(checksum, full);
            return IntakeResult.Valid;
        }

        return IntakeResult.Corrupt;
    }
}
