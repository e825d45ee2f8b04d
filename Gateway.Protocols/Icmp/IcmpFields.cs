using System.Buffers.Binary;

namespace VpnMasq.Protocols.Icmp;

/// <summary>The 8-byte ICMP header as plain data (Rest = identifier/sequence, or unused/MTU for errors).</summary>
internal readonly record struct IcmpFields(IcmpType Type, byte Code, ushort Identifier, ushort SequenceNumber, ushort Checksum = 0)
{
    public static IcmpFields From(IcmpHeader header) =>
        new(header.Type, header.Code, header.Identifier, header.SequenceNumber, header.Checksum);

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)Type;
        destination[1] = Code;
        BinaryPrimitives.WriteUInt16BigEndian(destination[IcmpHeader.ChecksumOffset..], Checksum);
        BinaryPrimitives.WriteUInt16BigEndian(destination[IcmpHeader.IdentifierOffset..], Identifier);
        BinaryPrimitives.WriteUInt16BigEndian(destination[IcmpHeader.SequenceOffset..], SequenceNumber);
        return IcmpHeader.Length;
    }
}
