using System.Buffers.Binary;

namespace VpnMasq.Protocols.Link;

/// <summary>An Ethernet/IPv4 ARP packet as plain data (MACs in the low 48 bits), for building requests and replies.</summary>
public readonly record struct ArpFields(ushort Operation, ulong SenderMac, uint SenderAddress, ulong TargetMac, uint TargetAddress)
{
    /// <summary>An Ethernet frame carrying an ARP packet: header and packet, no padding (the NIC pads to 60 bytes).</summary>
    public const int FrameLength = EthernetHeader.UntaggedLength + ArpPacket.Length;
    private const ulong Broadcast = 0xFFFF_FFFF_FFFF;

    /// <summary>"Who has <paramref name="target"/>? Tell <paramref name="senderAddress"/>": the target's MAC is unknown, so zero.</summary>
    public static ArpFields Request(ulong senderMac, uint senderAddress, uint target) =>
        new(ArpPacket.OperationRequest, senderMac, senderAddress, 0, target);

    /// <summary>The answer to <paramref name="request"/>: <paramref name="mac"/> has the address it asked for.</summary>
    public static ArpFields ReplyTo(ArpFields request, ulong mac) =>
        new(ArpPacket.OperationReply, mac, request.TargetAddress, request.SenderMac, request.SenderAddress);

    public static ArpFields From(ArpPacket packet) => new(
        packet.Operation,
        EthernetFields.ReadMac(packet.SenderMac),
        packet.SenderAddress,
        EthernetFields.ReadMac(packet.TargetMac),
        packet.TargetAddress);

    public int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[ArpPacket.HardwareTypeOffset..], ArpPacket.HardwareTypeEthernet);
        BinaryPrimitives.WriteUInt16BigEndian(destination[ArpPacket.ProtocolTypeOffset..], EtherType.Ipv4);
        destination[ArpPacket.HardwareLengthOffset] = ArpPacket.MacLength;
        destination[ArpPacket.ProtocolLengthOffset] = ArpPacket.Ipv4Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination[ArpPacket.OperationOffset..], Operation);
        EthernetFields.WriteMac(destination[ArpPacket.SenderHardwareOffset..], SenderMac);
        BinaryPrimitives.WriteUInt32BigEndian(destination[ArpPacket.SenderProtocolOffset..], SenderAddress);
        EthernetFields.WriteMac(destination[ArpPacket.TargetHardwareOffset..], TargetMac);
        BinaryPrimitives.WriteUInt32BigEndian(destination[ArpPacket.TargetProtocolOffset..], TargetAddress);
        return ArpPacket.Length;
    }

    /// <summary>
    /// This packet in an Ethernet frame from <see cref="SenderMac"/>: a request goes to the broadcast address,
    /// a reply to the host that asked.
    /// </summary>
    public byte[] ToEthernetFrame()
    {
        var frame = new byte[FrameLength];
        ulong destination = Operation == ArpPacket.OperationRequest ? Broadcast : TargetMac;
        int at = new EthernetFields(destination, SenderMac, EtherType.Arp).WriteTo(frame);
        WriteTo(frame.AsSpan(at));
        return frame;
    }
}
