using System.Buffers.Binary;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Protocols.Tests.Support;

/// <summary>
/// The Linux cooked (SLL) header as plain data. The gateway only reads this header, so its
/// writer lives with the tests. <see cref="Address"/> is hex, so equality compares the bytes.
/// </summary>
internal readonly record struct LinuxCookedFields(ushort PacketType, ushort HardwareType, ushort AddressLength, string Address, ushort Protocol)
{
    private const int AddressOffset = 6;
    private const int AddressFieldLength = 8;

    public static LinuxCookedFields From(LinuxCookedHeader header) => new(
        header.PacketType, header.HardwareType, header.AddressLength, Convert.ToHexString(header.Address), header.Protocol);

    /// <summary>Writes all 16 bytes, the address zero padded to 8.</summary>
    public int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, PacketType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], HardwareType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], AddressLength);
        var address = destination.Slice(AddressOffset, AddressFieldLength);
        address.Clear();
        Convert.FromHexString(Address).CopyTo(address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], Protocol);
        return LinuxCookedHeader.Length;
    }
}
