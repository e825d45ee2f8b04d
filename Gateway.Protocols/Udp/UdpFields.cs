using System.Buffers.Binary;

namespace VpnMasq.Protocols.Udp;

/// <summary>A UDP header as plain data.</summary>
internal readonly record struct UdpFields(ushort SourcePort, ushort DestinationPort, ushort DatagramLength, ushort Checksum = 0)
{
    public static UdpFields From(UdpHeader header) =>
        new(header.SourcePort, header.DestinationPort, header.DatagramLength, header.Checksum);

    public int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[UdpHeader.SourcePortOffset..], SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[UdpHeader.DestinationPortOffset..], DestinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[UdpHeader.LengthOffset..], DatagramLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[UdpHeader.ChecksumOffset..], Checksum);
        return UdpHeader.Length;
    }
}
