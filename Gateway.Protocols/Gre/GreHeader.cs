using System.Buffers.Binary;

namespace VpnMasq.Protocols.Gre;

// GRE version 0 (RFC 1701/2784/2890) and version 1, "enhanced GRE" (RFC 2637 §4.1):
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
// |      Checksum (optional)      |       Offset (optional)       |  C or R (v0)
// |                         Key (optional)                        |  K; v1: Payload Length | Call ID
// |                 Sequence Number (optional)                    |  S
// |               Acknowledgment Number (optional)                |  A (v1 only)
// |                    Routing (optional, v0, RFC 1701)           |  R
internal readonly ref struct GreHeader
{
    public const int FixedLength = 4;
    public const ushort PppProtocol = 0x880B;
    internal const byte ChecksumFlag = 0x80;
    internal const byte RoutingFlag = 0x40;
    internal const byte KeyFlag = 0x20;
    internal const byte SequenceFlag = 0x10;
    internal const byte AckFlag = 0x80;
    private const int NotPresent = -1;

    private readonly ReadOnlySpan<byte> _bytes;
    private readonly short _keyOffset;
    private readonly short _sequenceOffset;
    private readonly short _ackOffset;

    private GreHeader(ReadOnlySpan<byte> bytes, int length, int keyOffset, int sequenceOffset, int ackOffset)
    {
        _bytes = bytes;
        Length = length;
        _keyOffset = (short)keyOffset;
        _sequenceOffset = (short)sequenceOffset;
        _ackOffset = (short)ackOffset;
    }

    /// <summary>Header length in bytes including optional fields (and v0 routing).</summary>
    public int Length { get; }
    public int Version => _bytes[1] & 0x07;
    public bool HasChecksum => (_bytes[0] & ChecksumFlag) != 0;
    public bool HasRouting => (_bytes[0] & RoutingFlag) != 0;
    public bool HasKey => _keyOffset != NotPresent;
    public bool HasSequence => _sequenceOffset != NotPresent;
    public bool HasAcknowledgment => _ackOffset != NotPresent;
    public ushort ProtocolType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);
    public ushort Checksum => HasChecksum ? BinaryPrimitives.ReadUInt16BigEndian(_bytes[4..]) : (ushort)0;
    public uint Key => HasKey ? BinaryPrimitives.ReadUInt32BigEndian(_bytes[_keyOffset..]) : 0;
    public uint SequenceNumber => HasSequence ? BinaryPrimitives.ReadUInt32BigEndian(_bytes[_sequenceOffset..]) : 0;
    public uint AcknowledgmentNumber => HasAcknowledgment ? BinaryPrimitives.ReadUInt32BigEndian(_bytes[_ackOffset..]) : 0;

    /// <summary>Version 1: the high half of the key, the length of the PPP payload.</summary>
    public ushort PayloadLength => (ushort)(Key >> 16);

    /// <summary>Version 1: the low half of the key, the receiving peer's Call ID.</summary>
    public ushort CallId => (ushort)Key;

    /// <summary>Offset of the key field in the header, for in-place rewriting; -1 without a key.</summary>
    public int KeyOffset => _keyOffset;

    public ReadOnlySpan<byte> Payload => _bytes[Length..];

    /// <summary>
    /// Parses a GRE header. <paramref name="bytes"/> is the IP payload; a first fragment holds less of the PPP
    /// payload than a version 1 Payload Length declares, so pass <paramref name="isFragment"/> (as for UDP).
    /// </summary>
    public static ParseStatus Parse(ReadOnlySpan<byte> bytes, out GreHeader header, bool isFragment = false)
    {
        header = default;
        if (bytes.Length < FixedLength)
            return ParseStatus.TooShort;
        int version = bytes[1] & 0x07;
        return version switch
        {
            0 => ParseVersion0(bytes, out header),
            1 => ParseVersion1(bytes, out header, isFragment),
            _ => ParseStatus.Unsupported,
        };
    }

    private static ParseStatus ParseVersion0(ReadOnlySpan<byte> bytes, out GreHeader header)
    {
        header = default;
        byte flags = bytes[0];
        int offset = FixedLength;
        if ((flags & (ChecksumFlag | RoutingFlag)) != 0)
            offset += 4;
        int key = NotPresent, sequence = NotPresent;
        if ((flags & KeyFlag) != 0)
        {
            key = offset;
            offset += 4;
        }

        if ((flags & SequenceFlag) != 0)
        {
            sequence = offset;
            offset += 4;
        }

        if (bytes.Length < offset)
            return ParseStatus.TooShort;
        if ((flags & RoutingFlag) != 0)
        {
            // RFC 1701 Source Route Entries: family(2) offset(1) length(1) data; a zero family and length end the list.
            while (true)
            {
                if (bytes.Length < offset + 4)
                    return ParseStatus.TooShort;
                ushort family = BinaryPrimitives.ReadUInt16BigEndian(bytes[offset..]);
                int sreLength = bytes[offset + 3];
                offset += 4 + sreLength;
                if (family == 0 && sreLength == 0)
                    break;
                if (bytes.Length < offset)
                    return ParseStatus.TooShort;
            }
        }

        header = new GreHeader(bytes, offset, key, sequence, NotPresent);
        return ParseStatus.Ok;
    }

    private static ParseStatus ParseVersion1(ReadOnlySpan<byte> bytes, out GreHeader header, bool isFragment)
    {
        header = default;
        byte flags = bytes[0];

        // RFC 2637: C, R, s and Recur are 0 and K is 1; anything else is not PPTP's GRE.
        if ((flags & (ChecksumFlag | RoutingFlag | 0x0F)) != 0 || (flags & KeyFlag) == 0 || (bytes[1] & 0x78) != 0)
            return ParseStatus.Malformed;
        int offset = FixedLength;
        int key = offset;
        offset += 4;
        int sequence = NotPresent, ack = NotPresent;
        if ((flags & SequenceFlag) != 0)
        {
            sequence = offset;
            offset += 4;
        }

        if ((bytes[1] & AckFlag) != 0)
        {
            ack = offset;
            offset += 4;
        }

        if (bytes.Length < offset)
            return ParseStatus.TooShort;
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[key..]);
        if (bytes.Length < offset + payloadLength && !isFragment)
            return ParseStatus.TooShort;
        header = new GreHeader(bytes, offset, key, sequence, ack);
        return ParseStatus.Ok;
    }
}
