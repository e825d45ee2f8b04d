using System.Buffers.Binary;

namespace VpnMasq.Protocols.Esp;

// RFC 4303 §2 (RFC 2406 for the HOWTO's era; same layout)
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |               Security Parameters Index (SPI)                 |
// |                      Sequence Number                          |
// |                    Payload Data (encrypted) ...               |
internal readonly ref struct EspHeader
{
    public const int Length = 8;
    internal const int SequenceOffset = 4;

    private readonly ReadOnlySpan<byte> _bytes;

    private EspHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>0 is reserved (RFC 2406 §2.1) and never valid on the wire.</summary>
    public uint Spi => BinaryPrimitives.ReadUInt32BigEndian(_bytes);
    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[SequenceOffset..]);
    public ReadOnlySpan<byte> Payload => _bytes[Length..];

    public static ParseStatus Parse(ReadOnlySpan<byte> bytes, out EspHeader header)
    {
        header = default;
        if (bytes.Length < Length)
            return ParseStatus.TooShort;
        header = new EspHeader(bytes);
        return ParseStatus.Ok;
    }
}

internal readonly record struct EspFields(uint Spi, uint SequenceNumber)
{
    public static EspFields From(EspHeader header) => new(header.Spi, header.SequenceNumber);

    public int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Spi);
        BinaryPrimitives.WriteUInt32BigEndian(destination[EspHeader.SequenceOffset..], SequenceNumber);
        return EspHeader.Length;
    }
}
