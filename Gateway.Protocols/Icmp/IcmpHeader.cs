using System.Buffers.Binary;

namespace VpnMasq.Protocols.Icmp;

// RFC 792. Queries (echo, timestamp, …) carry an identifier; errors carry the offending
// datagram's IP header plus at least its first 8 bytes:
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     Type      |     Code      |          Checksum             |
// |           Identifier          |        Sequence Number        |  (queries)
// |                 unused / next-hop MTU                         |  (errors)
// |      Internet Header + 64 bits of Original Data Datagram      |  (errors)
internal readonly ref struct IcmpHeader
{
    public const int Length = 8;
    internal const int ChecksumOffset = 2;
    internal const int IdentifierOffset = 4;
    internal const int SequenceOffset = 6;

    private readonly ReadOnlySpan<byte> _bytes;

    private IcmpHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public IcmpType Type => (IcmpType)_bytes[0];
    public byte Code => _bytes[1];
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[ChecksumOffset..]);
    public ushort Identifier => BinaryPrimitives.ReadUInt16BigEndian(_bytes[IdentifierOffset..]);
    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_bytes[SequenceOffset..]);
    public ReadOnlySpan<byte> Body => _bytes[Length..];

    public bool IsQuery => IcmpTypes.IsQuery(Type);
    public bool IsError => IcmpTypes.IsError(Type);

    /// <summary>For an error message: the offending datagram (IP header + at least 8 bytes), as received.</summary>
    public ReadOnlySpan<byte> OffendingDatagram => IsError ? _bytes[Length..] : default;

    public static ParseStatus Parse(ReadOnlySpan<byte> message, out IcmpHeader header)
    {
        header = default;
        if (message.Length < Length)
            return ParseStatus.TooShort;
        var type = (IcmpType)message[0];
        if (IcmpTypes.IsError(type))
        {
            // An error must quote at least a minimal IP header and 8 bytes of its payload.
            if (message.Length < Length + 1)
                return ParseStatus.TooShort;
            if (message[Length] >> 4 != 4)
                return ParseStatus.Malformed;
            int quotedHeader = (message[Length] & 0x0F) * 4;
            if (quotedHeader < Ipv4.Ipv4Header.MinLength)
                return ParseStatus.Malformed;
            if (message.Length < Length + quotedHeader + 8)
                return ParseStatus.TooShort;
        }

        header = new IcmpHeader(message);
        return ParseStatus.Ok;
    }
}

public enum IcmpType : byte
{
    EchoReply = 0,
    DestinationUnreachable = 3,
    SourceQuench = 4,
    Redirect = 5,
    EchoRequest = 8,
    TimeExceeded = 11,
    ParameterProblem = 12,
    TimestampRequest = 13,
    TimestampReply = 14,
    InformationRequest = 15,
    InformationReply = 16,
    AddressMaskRequest = 17,
    AddressMaskReply = 18,
}

internal static class IcmpTypes
{
    public static bool IsQuery(IcmpType type) => type is IcmpType.EchoRequest or IcmpType.EchoReply
        or IcmpType.TimestampRequest or IcmpType.TimestampReply or IcmpType.InformationRequest
        or IcmpType.InformationReply or IcmpType.AddressMaskRequest or IcmpType.AddressMaskReply;

    public static bool IsQueryRequest(IcmpType type) => type is IcmpType.EchoRequest or IcmpType.TimestampRequest
        or IcmpType.InformationRequest or IcmpType.AddressMaskRequest;

    public static bool IsError(IcmpType type) => type is IcmpType.DestinationUnreachable or IcmpType.SourceQuench
        or IcmpType.Redirect or IcmpType.TimeExceeded or IcmpType.ParameterProblem;
}
