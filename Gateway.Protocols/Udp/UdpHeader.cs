using System.Buffers.Binary;

namespace VpnMasq.Protocols.Udp;

// RFC 768
//  0      7 8     15 16    23 24    31
// +--------+--------+--------+--------+
// |   Source Port   |  Destination    |
// |                 |      Port       |
// |     Length      |    Checksum     |
internal readonly ref struct UdpHeader
{
    public const int Length = 8;
    internal const int SourcePortOffset = 0;
    internal const int DestinationPortOffset = 2;
    internal const int LengthOffset = 4;
    internal const int ChecksumOffset = 6;

    private readonly ReadOnlySpan<byte> _bytes;

    private UdpHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[SourcePortOffset..]);
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[DestinationPortOffset..]);

    /// <summary>The UDP Length field: header plus data.</summary>
    public ushort DatagramLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[LengthOffset..]);

    /// <summary>0 means the sender computed no checksum (allowed over IPv4).</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[ChecksumOffset..]);
    public bool HasChecksum => Checksum != 0;
    /// <summary>The data after the header, up to the Length field (or the end of a first fragment).</summary>
    public ReadOnlySpan<byte> Payload => _bytes[Length..Math.Min(DatagramLength, _bytes.Length)];

    /// <summary>
    /// Parses a UDP header. <paramref name="datagram"/> is the IP payload; a first fragment may
    /// hold fewer bytes than the Length field says, so pass <paramref name="isFragment"/>.
    /// </summary>
    public static ParseStatus Parse(ReadOnlySpan<byte> datagram, out UdpHeader header, bool isFragment = false)
    {
        header = default;
        if (datagram.Length < Length)
            return ParseStatus.TooShort;
        int declared = BinaryPrimitives.ReadUInt16BigEndian(datagram[LengthOffset..]);
        if (declared < Length)
            return ParseStatus.Malformed;
        if (declared > datagram.Length && !isFragment)
            return ParseStatus.TooShort;
        header = new UdpHeader(datagram);
        return ParseStatus.Ok;
    }
}
