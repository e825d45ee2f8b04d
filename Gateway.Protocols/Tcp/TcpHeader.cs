using System.Buffers.Binary;

namespace VpnMasq.Protocols.Tcp;

// RFC 793 §3.1 (flags per RFC 3168)
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |          Source Port          |       Destination Port        |
// |                        Sequence Number                        |
// |                    Acknowledgment Number                      |
// |  Data |     |C|E|U|A|P|R|S|F|                               |
// | Offset| Rsv |W|C|R|C|S|S|Y|I|            Window             |
// |           Checksum            |         Urgent Pointer        |
// |                    Options                    |    Padding    |
internal readonly ref struct TcpHeader
{
    public const int MinLength = 20;
    internal const int SourcePortOffset = 0;
    internal const int DestinationPortOffset = 2;
    internal const int SequenceOffset = 4;
    internal const int AcknowledgmentOffset = 8;
    internal const int DataOffsetOffset = 12;
    internal const int FlagsOffset = 13;
    internal const int WindowOffset = 14;
    internal const int ChecksumOffset = 16;
    internal const int UrgentOffset = 18;

    private readonly ReadOnlySpan<byte> _bytes;

    private TcpHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[SourcePortOffset..]);
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[DestinationPortOffset..]);
    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[SequenceOffset..]);
    public uint AcknowledgmentNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[AcknowledgmentOffset..]);
    public int HeaderLength => (_bytes[DataOffsetOffset] >> 4) * 4;
    public TcpFlags Flags => (TcpFlags)_bytes[FlagsOffset];
    public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(_bytes[WindowOffset..]);
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[ChecksumOffset..]);
    public ushort UrgentPointer => BinaryPrimitives.ReadUInt16BigEndian(_bytes[UrgentOffset..]);
    public ReadOnlySpan<byte> Options => _bytes[MinLength..HeaderLength];

    /// <summary>The segment's data: everything after the header in the span it was parsed from.</summary>
    public ReadOnlySpan<byte> Payload => _bytes[HeaderLength..];

    public bool Has(TcpFlags flag) => (Flags & flag) == flag;

    /// <summary>Parses a TCP header; <paramref name="segment"/> must be the IP payload and nothing more.</summary>
    public static ParseStatus Parse(ReadOnlySpan<byte> segment, out TcpHeader header)
    {
        header = default;
        if (segment.Length < MinLength)
            return ParseStatus.TooShort;
        int headerLength = (segment[DataOffsetOffset] >> 4) * 4;
        if (headerLength < MinLength)
            return ParseStatus.Malformed;
        if (segment.Length < headerLength)
            return ParseStatus.TooShort;
        header = new TcpHeader(segment);
        return ParseStatus.Ok;
    }
}

[Flags]
public enum TcpFlags : byte
{
    None = 0,
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
    Urg = 0x20,
    Ece = 0x40,
    Cwr = 0x80,
}
