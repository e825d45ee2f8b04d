using System.Buffers.Binary;

namespace VpnMasq.Protocols.Link;

// RFC 826, for Ethernet hardware and IPv4 protocol addresses (the only kind the gateway reads):
//  0       2       4   5   6       8                       14              18                      24              28
// +-------+-------+---+---+-------+-----------------------+---------------+-----------------------+---------------+
// | hrd   | pro   |hln|pln| op    | sender hardware (sha) | sender proto  | target hardware (tha) | target proto  |
// |       | 0x0800| 6 | 4 | 1 / 2 |                       | address (spa) |                       | address (tpa) |
// +-------+-------+---+---+-------+-----------------------+---------------+-----------------------+---------------+
/// <summary>An ARP packet (the payload of an Ethernet frame of type 0x0806) mapping IPv4 addresses to 6-byte hardware addresses.</summary>
public readonly ref struct ArpPacket
{
    public const int Length = 28;
    public const ushort HardwareTypeEthernet = 1;
    public const ushort OperationRequest = 1;
    public const ushort OperationReply = 2;
    internal const int HardwareTypeOffset = 0;
    internal const int ProtocolTypeOffset = 2;
    internal const int HardwareLengthOffset = 4;
    internal const int ProtocolLengthOffset = 5;
    internal const int OperationOffset = 6;
    internal const int SenderHardwareOffset = 8;
    internal const int SenderProtocolOffset = 14;
    internal const int TargetHardwareOffset = 18;
    internal const int TargetProtocolOffset = 24;
    internal const int MacLength = 6;
    internal const int Ipv4Length = 4;

    private readonly ReadOnlySpan<byte> _bytes;

    private ArpPacket(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort HardwareType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[HardwareTypeOffset..]);

    /// <summary>1 = request, 2 = reply.</summary>
    public ushort Operation => BinaryPrimitives.ReadUInt16BigEndian(_bytes[OperationOffset..]);
    public ReadOnlySpan<byte> SenderMac => _bytes.Slice(SenderHardwareOffset, MacLength);
    public uint SenderAddress => BinaryPrimitives.ReadUInt32BigEndian(_bytes[SenderProtocolOffset..]);
    public ReadOnlySpan<byte> TargetMac => _bytes.Slice(TargetHardwareOffset, MacLength);
    public uint TargetAddress => BinaryPrimitives.ReadUInt32BigEndian(_bytes[TargetProtocolOffset..]);

    /// <summary>
    /// Reads an ARP packet for IPv4 over 6-byte hardware addresses: any other protocol type or address length puts the
    /// addresses elsewhere and is refused, as is a packet shorter than 28 bytes. The hardware type is not checked.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out ArpPacket packet)
    {
        packet = default;
        if (bytes.Length < Length
            || BinaryPrimitives.ReadUInt16BigEndian(bytes[ProtocolTypeOffset..]) != EtherType.Ipv4
            || bytes[HardwareLengthOffset] != MacLength
            || bytes[ProtocolLengthOffset] != Ipv4Length)
            return false;
        packet = new ArpPacket(bytes[..Length]);
        return true;
    }
}
