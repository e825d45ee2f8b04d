using System.Buffers.Binary;

namespace VpnMasq.Protocols.Ah;

// RFC 4302 §2. Recognised only so it can be refused by name: AH authenticates the IP
// addresses, so any masquerade breaks it (HOWTO §2.2).
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Header   |  Payload Len  |          RESERVED             |
// |                 Security Parameters Index (SPI)               |
// |                    Sequence Number Field                      |
// |                Integrity Check Value-ICV (variable)           |
internal readonly ref struct AhHeader
{
    public const int MinLength = 12;
    private const int SpiOffset = 4;
    private const int SequenceOffset = 8;

    private readonly ReadOnlySpan<byte> _bytes;

    private AhHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public byte NextHeader => _bytes[0];

    /// <summary>Header length in bytes: (Payload Len + 2) 32-bit words.</summary>
    public int HeaderLength => (_bytes[1] + 2) * 4;
    public uint Spi => BinaryPrimitives.ReadUInt32BigEndian(_bytes[SpiOffset..]);
    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[SequenceOffset..]);

    public static ParseStatus Parse(ReadOnlySpan<byte> bytes, out AhHeader header)
    {
        header = default;
        if (bytes.Length < MinLength)
            return ParseStatus.TooShort;
        int length = (bytes[1] + 2) * 4;
        if (length < MinLength)
            return ParseStatus.Malformed;
        if (bytes.Length < length)
            return ParseStatus.TooShort;
        header = new AhHeader(bytes);
        return ParseStatus.Ok;
    }
}
