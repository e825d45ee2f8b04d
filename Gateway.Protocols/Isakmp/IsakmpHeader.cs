using System.Buffers.Binary;

namespace VpnMasq.Protocols.Isakmp;

// RFC 2408 §3.1 (IKEv1) and RFC 7296 §3.1 (IKEv2: the cookies are called SPIs)
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// !                 Initiator Cookie (IKE SA Initiator's SPI)     !
// !                 Responder Cookie (IKE SA Responder's SPI)     !
// !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
// !                          Message ID                           !
// !                            Length                             !
internal readonly ref struct IsakmpHeader
{
    public const int Length = 28;
    internal const int ResponderCookieOffset = 8;
    internal const int NextPayloadOffset = 16;
    internal const int VersionOffset = 17;
    internal const int ExchangeTypeOffset = 18;
    internal const int FlagsOffset = 19;
    internal const int MessageIdOffset = 20;
    internal const int LengthOffset = 24;

    private readonly ReadOnlySpan<byte> _bytes;

    private IsakmpHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ulong InitiatorCookie => BinaryPrimitives.ReadUInt64BigEndian(_bytes);
    public ulong ResponderCookie => BinaryPrimitives.ReadUInt64BigEndian(_bytes[ResponderCookieOffset..]);
    public byte NextPayload => _bytes[NextPayloadOffset];
    public int MajorVersion => _bytes[VersionOffset] >> 4;
    public int MinorVersion => _bytes[VersionOffset] & 0x0F;
    public byte ExchangeType => _bytes[ExchangeTypeOffset];
    public byte Flags => _bytes[FlagsOffset];
    public uint MessageId => BinaryPrimitives.ReadUInt32BigEndian(_bytes[MessageIdOffset..]);

    /// <summary>The Length field: the whole message, header included.</summary>
    public uint MessageLength => BinaryPrimitives.ReadUInt32BigEndian(_bytes[LengthOffset..]);

    /// <summary>IKEv2 only: the Initiator flag (bit 3) — set by the original initiator of the IKE SA.</summary>
    public bool IsFromOriginalInitiator => MajorVersion == 2 && (Flags & 0x08) != 0;

    /// <summary>IKEv2 only: the Response flag (bit 5).</summary>
    public bool IsResponse => MajorVersion == 2 && (Flags & 0x20) != 0;

    /// <summary>
    /// Parses an ISAKMP header at the start of a UDP payload. Versions 1.x and 2.x are accepted;
    /// a Length field shorter than the header is malformed, one beyond the buffer too short.
    /// </summary>
    public static ParseStatus Parse(ReadOnlySpan<byte> bytes, out IsakmpHeader header)
    {
        header = default;
        if (bytes.Length < Length)
            return ParseStatus.TooShort;
        int major = bytes[VersionOffset] >> 4;
        if (major is not (1 or 2))
            return ParseStatus.Malformed;
        uint declared = BinaryPrimitives.ReadUInt32BigEndian(bytes[LengthOffset..]);
        if (declared < Length)
            return ParseStatus.Malformed;
        if (declared > (uint)bytes.Length)
            return ParseStatus.TooShort;
        header = new IsakmpHeader(bytes);
        return ParseStatus.Ok;
    }
}

internal readonly record struct IsakmpFields(
    ulong InitiatorCookie,
    ulong ResponderCookie,
    byte NextPayload,
    byte MajorVersion,
    byte MinorVersion,
    byte ExchangeType,
    byte Flags,
    uint MessageId,
    uint MessageLength)
{
    public static IsakmpFields From(IsakmpHeader header) => new(
        header.InitiatorCookie, header.ResponderCookie, header.NextPayload, (byte)header.MajorVersion,
        (byte)header.MinorVersion, header.ExchangeType, header.Flags, header.MessageId, header.MessageLength);

    public int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, InitiatorCookie);
        BinaryPrimitives.WriteUInt64BigEndian(destination[IsakmpHeader.ResponderCookieOffset..], ResponderCookie);
        destination[IsakmpHeader.NextPayloadOffset] = NextPayload;
        destination[IsakmpHeader.VersionOffset] = (byte)((MajorVersion << 4) | (MinorVersion & 0x0F));
        destination[IsakmpHeader.ExchangeTypeOffset] = ExchangeType;
        destination[IsakmpHeader.FlagsOffset] = Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[IsakmpHeader.MessageIdOffset..], MessageId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[IsakmpHeader.LengthOffset..], MessageLength);
        return IsakmpHeader.Length;
    }
}
