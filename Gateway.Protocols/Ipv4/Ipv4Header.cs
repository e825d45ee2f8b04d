using System.Buffers.Binary;

namespace VpnMasq.Protocols.Ipv4;

// RFC 791 §3.1
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Version|  IHL  |Type of Service|          Total Length         |
// |         Identification        |Flags|      Fragment Offset    |
// |  Time to Live |    Protocol   |         Header Checksum       |
// |                       Source Address                          |
// |                    Destination Address                        |
// |                    Options                    |    Padding    |
public readonly ref struct Ipv4Header
{
    public const int MinLength = 20;
    internal const int TotalLengthOffset = 2;
    internal const int IdentificationOffset = 4;
    internal const int FragmentOffset = 6;
    internal const int TtlOffset = 8;
    internal const int ProtocolOffset = 9;
    internal const int ChecksumOffset = 10;
    internal const int SourceOffset = 12;
    internal const int DestinationOffset = 16;
    private const ushort MoreFragmentsFlag = 0x2000;
    private const ushort DontFragmentFlag = 0x4000;
    private const ushort OffsetMask = 0x1FFF;

    private readonly ReadOnlySpan<byte> _bytes;

    private Ipv4Header(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public int HeaderLength => (_bytes[0] & 0x0F) * 4;
    public byte TypeOfService => _bytes[1];
    public ushort TotalLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[TotalLengthOffset..]);
    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(_bytes[IdentificationOffset..]);
    private ushort FlagsAndOffset => BinaryPrimitives.ReadUInt16BigEndian(_bytes[FragmentOffset..]);
    public bool DontFragment => (FlagsAndOffset & DontFragmentFlag) != 0;
    public bool MoreFragments => (FlagsAndOffset & MoreFragmentsFlag) != 0;

    /// <summary>Fragment offset in bytes (the field counts 8-byte units).</summary>
    public int FragmentOffsetBytes => (FlagsAndOffset & OffsetMask) * 8;
    public bool IsFragment => MoreFragments || FragmentOffsetBytes != 0;
    public byte TimeToLive => _bytes[TtlOffset];
    public byte Protocol => _bytes[ProtocolOffset];
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[ChecksumOffset..]);
    public uint Source => BinaryPrimitives.ReadUInt32BigEndian(_bytes[SourceOffset..]);
    public uint Destination => BinaryPrimitives.ReadUInt32BigEndian(_bytes[DestinationOffset..]);
    public ReadOnlySpan<byte> Options => _bytes[MinLength..HeaderLength];

    /// <summary>The datagram up to Total Length, without link-layer padding.</summary>
    public ReadOnlySpan<byte> Packet => _bytes[..TotalLength];
    public ReadOnlySpan<byte> Payload => _bytes[HeaderLength..TotalLength];

    /// <summary>True when the header checksum verifies.</summary>
    public bool ChecksumValid => InternetChecksumOf(_bytes[..HeaderLength]) == 0;

    public static ParseStatus Parse(ReadOnlySpan<byte> bytes, out Ipv4Header header)
    {
        header = default;
        if (bytes.Length < 1)
            return ParseStatus.TooShort;
        int version = bytes[0] >> 4;
        if (version != 4)
            return version == 6 ? ParseStatus.Unsupported : ParseStatus.Malformed;
        if (bytes.Length < MinLength)
            return ParseStatus.TooShort;
        int headerLength = (bytes[0] & 0x0F) * 4;
        if (headerLength < MinLength)
            return ParseStatus.Malformed;
        if (bytes.Length < headerLength)
            return ParseStatus.TooShort;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[TotalLengthOffset..]);
        if (totalLength < headerLength)
            return ParseStatus.Malformed;
        if (bytes.Length < totalLength)
            return ParseStatus.TooShort;
        header = new Ipv4Header(bytes);
        return ParseStatus.Ok;
    }

    /// <summary>
    /// The Destination Address of the header at the start of <paramref name="bytes"/>, checking only that the bytes
    /// reach it: for routing a packet the gateway built itself, or one whose header is validated further on.
    /// </summary>
    public static bool TryReadDestination(ReadOnlySpan<byte> bytes, out uint destination)
    {
        destination = bytes.Length >= MinLength ? BinaryPrimitives.ReadUInt32BigEndian(bytes[DestinationOffset..]) : 0;
        return bytes.Length >= MinLength;
    }

    /// <summary>True when the version nibble says IPv4: all a raw-IP link (no type field) tells about its packets.</summary>
    public static bool IsVersion4(ReadOnlySpan<byte> bytes) => bytes.Length > 0 && bytes[0] >> 4 == 4;

    private static ushort InternetChecksumOf(ReadOnlySpan<byte> data) => Checksums.InternetChecksum.Compute(data);
}
