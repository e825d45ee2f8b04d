using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Rewriting;

/// <summary>
/// In-place rewrites of an IPv4 datagram (the span starts at the IP header) with incremental
/// checksum fix-up (RFC 1624): the IP header checksum, and the TCP/UDP checksum whose
/// pseudo-header covers the addresses. Callers pass datagrams the dissector accepted.
/// </summary>
internal static class PacketRewriter
{
    public static void SetSourceAddress(Span<byte> datagram, uint address) =>
        SetAddress(datagram, Ipv4Header.SourceOffset, address);

    public static void SetDestinationAddress(Span<byte> datagram, uint address) =>
        SetAddress(datagram, Ipv4Header.DestinationOffset, address);

    /// <summary>Rewrites the TCP or UDP source port (the first 16 bits of either header).</summary>
    public static void SetSourcePort(Span<byte> datagram, ushort port) => SetTransportWord(datagram, 0, port);

    public static void SetDestinationPort(Span<byte> datagram, ushort port) => SetTransportWord(datagram, 2, port);

    /// <summary>Rewrites the identifier of an ICMP query (echo, timestamp, …) and fixes the ICMP checksum.</summary>
    public static void SetIcmpIdentifier(Span<byte> datagram, ushort identifier)
    {
        var icmp = datagram[HeaderLength(datagram)..TotalLength(datagram)];
        ushort old = BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], identifier);
        UpdateChecksumField(icmp[2..], old, identifier);

        // RFC 1624 eqn. 3 never yields 0xFFFF, yet an all-zero message (echo reply, identifier 0,
        // sequence 0, no data) sums to +0 and only 0xFFFF verifies (RFC 1071). The IP header, TCP
        // and UDP (pseudo-header) can never be all zero; ICMP can, so check here.
        if (BinaryPrimitives.ReadUInt16BigEndian(icmp[2..]) == 0 && InternetChecksum.Add(0, icmp) == 0)
            BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], 0xFFFF);
    }

    /// <summary>GRE v1: rewrites the Call ID half of the key. Enhanced GRE has no checksum to fix.</summary>
    public static void SetGreCallId(Span<byte> datagram, ushort callId)
    {
        // The key always follows the 4 fixed bytes in version 1 (C and R are 0).
        BinaryPrimitives.WriteUInt16BigEndian(datagram[(HeaderLength(datagram) + 6)..], callId);
    }

    /// <summary>
    /// Replaces bytes inside a TCP or UDP segment (e.g. a PPTP Call ID in the TCP stream) and fixes
    /// the transport checksum. <paramref name="offset"/> counts from the start of the transport
    /// header and may be odd: a field need not be aligned with the checksum's 16-bit words.
    /// </summary>
    public static void ReplaceTransportBytes(Span<byte> datagram, int offset, ReadOnlySpan<byte> bytes)
    {
        int headerLength = HeaderLength(datagram);
        byte protocol = datagram[Ipv4Header.ProtocolOffset];
        var segment = datagram[headerLength..TotalLength(datagram)];
        int field = TransportChecksum.FieldOffset(protocol);
        ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(segment[field..]);
        bool maintain = !(protocol == IpProtocol.Udp && checksum == 0);
        int first = offset & ~1;
        int last = (offset + bytes.Length - 1) | 1;
        for (int word = first; word < last; word += 2)
        {
            ushort oldWord = ReadPaddedWord(segment, word);
            for (int i = 0; i < 2; i++)
            {
                int at = word + i - offset;
                if (at >= 0 && at < bytes.Length)
                    segment[word + i] = bytes[at];
            }

            if (maintain)
                checksum = InternetChecksum.Update(checksum, oldWord, ReadPaddedWord(segment, word));
        }

        if (maintain)
            WriteTransportChecksum(segment[field..], protocol, checksum);
    }

    /// <summary>
    /// What a router does to every datagram it forwards (RFC 1812 §5.3.1): TTL down by one, header
    /// checksum updated. False, and the datagram untouched, when the TTL would reach 0: it must not be forwarded.
    /// </summary>
    public static bool DecrementTtl(Span<byte> datagram)
    {
        byte ttl = datagram[Ipv4Header.TtlOffset];
        if (ttl <= 1)
            return false;
        // TTL is the high byte of the 16-bit word it shares with the protocol.
        ushort oldWord = BinaryPrimitives.ReadUInt16BigEndian(datagram[Ipv4Header.TtlOffset..]);
        datagram[Ipv4Header.TtlOffset] = (byte)(ttl - 1);
        ushort newWord = BinaryPrimitives.ReadUInt16BigEndian(datagram[Ipv4Header.TtlOffset..]);
        UpdateChecksumField(datagram[Ipv4Header.ChecksumOffset..], oldWord, newWord);
        return true;
    }

    private static void SetAddress(Span<byte> datagram, int fieldOffset, uint address)
    {
        uint old = BinaryPrimitives.ReadUInt32BigEndian(datagram[fieldOffset..]);
        if (old == address)
            return;
        BinaryPrimitives.WriteUInt32BigEndian(datagram[fieldOffset..], address);
        ushort ipChecksum = BinaryPrimitives.ReadUInt16BigEndian(datagram[Ipv4Header.ChecksumOffset..]);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[Ipv4Header.ChecksumOffset..], InternetChecksum.Update(ipChecksum, old, address));

        // Only the first fragment carries the transport header whose pseudo-header sum covers the address.
        if (FragmentOffset(datagram) != 0)
            return;
        byte protocol = datagram[Ipv4Header.ProtocolOffset];
        if (protocol is not (IpProtocol.Tcp or IpProtocol.Udp))
            return;
        var checksumField = datagram[(HeaderLength(datagram) + TransportChecksum.FieldOffset(protocol))..];
        ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(checksumField);
        if (protocol == IpProtocol.Udp && checksum == 0)
            return;
        WriteTransportChecksum(checksumField, protocol, InternetChecksum.Update(checksum, old, address));
    }

    private static void SetTransportWord(Span<byte> datagram, int offset, ushort value)
    {
        var segment = datagram[HeaderLength(datagram)..];
        ushort old = BinaryPrimitives.ReadUInt16BigEndian(segment[offset..]);
        BinaryPrimitives.WriteUInt16BigEndian(segment[offset..], value);
        byte protocol = datagram[Ipv4Header.ProtocolOffset];
        var checksumField = segment[TransportChecksum.FieldOffset(protocol)..];
        ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(checksumField);
        if (protocol == IpProtocol.Udp && checksum == 0)
            return;
        WriteTransportChecksum(checksumField, protocol, InternetChecksum.Update(checksum, old, value));
    }

    private static void UpdateChecksumField(Span<byte> field, ushort oldWord, ushort newWord)
    {
        ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(field);
        BinaryPrimitives.WriteUInt16BigEndian(field, InternetChecksum.Update(checksum, oldWord, newWord));
    }

    private static void WriteTransportChecksum(Span<byte> field, byte protocol, ushort checksum) =>
        BinaryPrimitives.WriteUInt16BigEndian(field, protocol == IpProtocol.Udp && checksum == 0 ? (ushort)0xFFFF : checksum);

    private static ushort ReadPaddedWord(ReadOnlySpan<byte> segment, int offset) =>
        offset + 1 < segment.Length ? BinaryPrimitives.ReadUInt16BigEndian(segment[offset..]) : (ushort)(segment[offset] << 8);

    private static int HeaderLength(ReadOnlySpan<byte> datagram) => (datagram[0] & 0x0F) * 4;

    private static int TotalLength(ReadOnlySpan<byte> datagram) => BinaryPrimitives.ReadUInt16BigEndian(datagram[Ipv4Header.TotalLengthOffset..]);

    private static int FragmentOffset(ReadOnlySpan<byte> datagram) =>
        BinaryPrimitives.ReadUInt16BigEndian(datagram[Ipv4Header.FragmentOffset..]) & 0x1FFF;
}
