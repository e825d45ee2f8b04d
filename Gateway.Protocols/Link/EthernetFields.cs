using System.Buffers.Binary;

namespace VpnMasq.Protocols.Link;

/// <summary>The fields of an Ethernet II header as plain data, for building frames.</summary>
public readonly record struct EthernetFields(ulong Destination, ulong Source, ushort EtherType, ushort? VlanId = null)
{
    public int Length => VlanId is null ? EthernetHeader.UntaggedLength : EthernetHeader.TaggedLength;

    public static EthernetFields From(EthernetHeader header) => new(
        ReadMac(header.Destination),
        ReadMac(header.Source),
        header.EtherType,
        header.HasVlanTag ? header.VlanId : null);

    public int WriteTo(Span<byte> destination)
    {
        WriteMac(destination, Destination);
        WriteMac(destination[6..], Source);
        if (VlanId is { } vlan)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[12..], Link.EtherType.Vlan);
            BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)(vlan & 0x0FFF));
            BinaryPrimitives.WriteUInt16BigEndian(destination[16..], EtherType);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[12..], EtherType);
        }

        return Length;
    }

    /// <summary>Puts new addresses on a frame, leaving its type and payload alone: a frame forwarded to its next hop.</summary>
    public static void Readdress(Span<byte> frame, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> source)
    {
        destination[..6].CopyTo(frame);
        source[..6].CopyTo(frame[6..]);
    }

    /// <summary>Reads a 6-byte MAC into the low 48 bits of a ulong.</summary>
    public static ulong ReadMac(ReadOnlySpan<byte> mac) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(mac) << 32) | BinaryPrimitives.ReadUInt32BigEndian(mac[2..]);

    public static void WriteMac(Span<byte> destination, ulong mac)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(mac >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)mac);
    }
}
