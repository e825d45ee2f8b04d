using System.Buffers.Binary;

namespace VpnMasq.Protocols.Pptp;

// RFC 2637 §1.4 / §2: every control message starts with
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |             Length            |     PPTP Message Type (1)     |
// |                    Magic Cookie (0x1A2B3C4D)                  |
// |     Control Message Type      |           Reserved0           |
// and continues with the type's fixed body (see PptpMessageLayout).
internal readonly ref struct PptpControlMessage
{
    public const int HeaderLength = 12;
    public const uint MagicCookie = 0x1A2B3C4D;
    public const ushort TcpPort = 1723;
    internal const int MessageTypeOffset = 2;
    internal const int MagicOffset = 4;
    internal const int ControlTypeOffset = 8;
    private const ushort ControlMessage = 1;

    private readonly ReadOnlySpan<byte> _bytes;

    private PptpControlMessage(ReadOnlySpan<byte> bytes, PptpMessageLayout layout)
    {
        _bytes = bytes;
        Layout = layout;
    }

    /// <summary>The Length field: the whole message.</summary>
    public ushort Length => BinaryPrimitives.ReadUInt16BigEndian(_bytes);
    public PptpControlType Type => (PptpControlType)BinaryPrimitives.ReadUInt16BigEndian(_bytes[ControlTypeOffset..]);
    public PptpMessageLayout Layout { get; }
    public bool HasCallId => Layout.HasCallId;
    public bool HasPeerCallId => Layout.HasPeerCallId;

    /// <summary>The sender's own Call ID, for messages that carry one; otherwise 0.</summary>
    public ushort CallId => HasCallId ? BinaryPrimitives.ReadUInt16BigEndian(_bytes[Layout.CallIdOffset..]) : (ushort)0;

    /// <summary>The receiver's Call ID as the sender knows it, for messages that carry one; otherwise 0.</summary>
    public ushort PeerCallId => HasPeerCallId ? BinaryPrimitives.ReadUInt16BigEndian(_bytes[Layout.PeerCallIdOffset..]) : (ushort)0;

    /// <summary>
    /// Reads the Length field of a message that starts at <paramref name="bytes"/>, once at least
    /// 2 bytes are there; a stream reader uses it to find message boundaries.
    /// </summary>
    public static bool TryPeekLength(ReadOnlySpan<byte> bytes, out int length)
    {
        length = bytes.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : 0;
        return bytes.Length >= 2;
    }

    public static ParseStatus Parse(ReadOnlySpan<byte> bytes, out PptpControlMessage message)
    {
        message = default;
        if (bytes.Length < HeaderLength)
            return ParseStatus.TooShort;
        if (BinaryPrimitives.ReadUInt32BigEndian(bytes[MagicOffset..]) != MagicCookie
            || BinaryPrimitives.ReadUInt16BigEndian(bytes[MessageTypeOffset..]) != ControlMessage)
            return ParseStatus.Malformed;
        if (!PptpMessageLayout.TryGet(BinaryPrimitives.ReadUInt16BigEndian(bytes[ControlTypeOffset..]), out var layout))
            return ParseStatus.Malformed;
        int declared = BinaryPrimitives.ReadUInt16BigEndian(bytes);

        // Shorter than the type's fixed body is broken; longer is tolerated (vendor padding).
        if (declared < layout.Length)
            return ParseStatus.Malformed;
        if (bytes.Length < declared)
            return ParseStatus.TooShort;
        message = new PptpControlMessage(bytes[..declared], layout);
        return ParseStatus.Ok;
    }
}

/// <summary>A control message header plus its Call ID fields, for building messages in tests and tools.</summary>
internal readonly record struct PptpControlFields(PptpControlType Type, ushort CallId = 0, ushort PeerCallId = 0)
{
    public ushort Length => PptpMessageLayout.TryGet((ushort)Type, out var layout) ? layout.Length : (ushort)0;

    public static PptpControlFields From(PptpControlMessage message) => new(message.Type, message.CallId, message.PeerCallId);

    /// <summary>Writes the whole fixed-size message: header, Call IDs, and zeros elsewhere.</summary>
    public int WriteTo(Span<byte> destination)
    {
        if (!PptpMessageLayout.TryGet((ushort)Type, out var layout))
            throw new InvalidOperationException($"{Type} is not a PPTP control message type.");
        destination[..layout.Length].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(destination, layout.Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination[PptpControlMessage.MessageTypeOffset..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(destination[PptpControlMessage.MagicOffset..], PptpControlMessage.MagicCookie);
        BinaryPrimitives.WriteUInt16BigEndian(destination[PptpControlMessage.ControlTypeOffset..], (ushort)Type);
        if (layout.HasCallId)
            BinaryPrimitives.WriteUInt16BigEndian(destination[layout.CallIdOffset..], CallId);
        if (layout.HasPeerCallId)
            BinaryPrimitives.WriteUInt16BigEndian(destination[layout.PeerCallIdOffset..], PeerCallId);
        return layout.Length;
    }
}
