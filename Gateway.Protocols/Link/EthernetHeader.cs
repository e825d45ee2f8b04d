using System.Buffers.Binary;

namespace VpnMasq.Protocols.Link;

// Ethernet II, optionally with one IEEE 802.1Q tag:
//  0                   6                   12      14      16      18
// +-------------------+-------------------+-------+-------+-------+
// | destination MAC   | source MAC        | 0x8100| TCI   | type  |  (tagged)
// +-------------------+-------------------+-------+-------+-------+
// | destination MAC   | source MAC        | type  |                  (untagged)
public readonly ref struct EthernetHeader
{
    public const int UntaggedLength = 14;
    public const int TaggedLength = 18;
    private const int TypeOffset = 12;
    private const int TciOffset = 14;
    private const int InnerTypeOffset = 16;

    private readonly ReadOnlySpan<byte> _bytes;

    private EthernetHeader(ReadOnlySpan<byte> bytes, int length)
    {
        _bytes = bytes;
        Length = length;
    }

    /// <summary>Header length in bytes: 14, or 18 with an 802.1Q tag.</summary>
    public int Length { get; }

    public ReadOnlySpan<byte> Destination => _bytes[..6];
    public ReadOnlySpan<byte> Source => _bytes[6..12];
    public bool HasVlanTag => Length == TaggedLength;

    /// <summary>VLAN id (12 bits) when tagged, otherwise 0.</summary>
    public ushort VlanId => HasVlanTag ? (ushort)(BinaryPrimitives.ReadUInt16BigEndian(_bytes[TciOffset..]) & 0x0FFF) : (ushort)0;

    /// <summary>The EtherType of the payload (after any 802.1Q tag).</summary>
    public ushort EtherType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[(HasVlanTag ? InnerTypeOffset : TypeOffset)..]);

    public static ParseStatus Parse(ReadOnlySpan<byte> bytes, out EthernetHeader header)
    {
        header = default;
        if (bytes.Length < UntaggedLength)
            return ParseStatus.TooShort;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(bytes[TypeOffset..]);
        int length = UntaggedLength;
        if (type == Link.EtherType.Vlan)
        {
            if (bytes.Length < TaggedLength)
                return ParseStatus.TooShort;
            length = TaggedLength;
        }

        // Values below 0x0600 are IEEE 802.3 lengths, not Ethernet II types (LLC/STP frames).
        ushort payloadType = BinaryPrimitives.ReadUInt16BigEndian(bytes[(length - 2)..]);
        if (payloadType < 0x0600)
            return ParseStatus.Unsupported;
        header = new EthernetHeader(bytes, length);
        return ParseStatus.Ok;
    }
}
