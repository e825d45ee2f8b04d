using System.Buffers.Binary;

namespace VpnMasq.Protocols.Link;

// Linux cooked capture v1 (SLL), what libpcap writes for captures on "any":
//  0       2       4       6                               14      16
// +-------+-------+-------+-------------------------------+-------+
// | pkt   | ARPHRD| addr  | link-layer address (8 bytes,   | proto |
// | type  | type  | length| zero padded)                   |       |
public readonly ref struct LinuxCookedHeader
{
    public const int Length = 16;

    /// <summary>Packet type 4, PACKET_OUTGOING: a packet the capturing host sent, not one it received.</summary>
    public const ushort PacketTypeOutgoing = 4;
    private const int AddressLengthOffset = 4;
    private const int ProtocolOffset = 14;

    private readonly ReadOnlySpan<byte> _bytes;

    private LinuxCookedHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>0 = to us, 1 = broadcast, 2 = multicast, 3 = to someone else, 4 = sent by us.</summary>
    public ushort PacketType => BinaryPrimitives.ReadUInt16BigEndian(_bytes);
    public ushort HardwareType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);
    public ushort AddressLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[AddressLengthOffset..]);
    public ReadOnlySpan<byte> Address => _bytes.Slice(6, Math.Min((int)AddressLength, 8));
    public ushort Protocol => BinaryPrimitives.ReadUInt16BigEndian(_bytes[ProtocolOffset..]);

    public static ParseStatus Parse(ReadOnlySpan<byte> bytes, out LinuxCookedHeader header)
    {
        header = default;
        if (bytes.Length < Length)
            return ParseStatus.TooShort;
        if (BinaryPrimitives.ReadUInt16BigEndian(bytes[AddressLengthOffset..]) > 8)
            return ParseStatus.Malformed;
        header = new LinuxCookedHeader(bytes);
        return ParseStatus.Ok;
    }
}
