using System.Buffers.Binary;
using VpnMasq.Protocols.Ah;

namespace VpnMasq.Protocols.Tests.Support;

/// <summary>
/// The fields the AH view exposes, as plain data. The gateway only recognises AH to refuse it,
/// so its writer lives with the tests. <see cref="HeaderLength"/> is in bytes, a multiple of 4.
/// </summary>
internal readonly record struct AhFields(byte NextHeader, int HeaderLength, uint Spi, uint SequenceNumber)
{
    public static AhFields From(AhHeader header) => new(header.NextHeader, header.HeaderLength, header.Spi, header.SequenceNumber);

    /// <summary>
    /// Writes the 12 fixed bytes (RESERVED zero) and returns <see cref="HeaderLength"/>; the ICV
    /// after them is left as the caller put it.
    /// </summary>
    public int WriteTo(Span<byte> destination)
    {
        destination[0] = NextHeader;
        destination[1] = (byte)((HeaderLength / 4) - 2);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Spi);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], SequenceNumber);
        return HeaderLength;
    }
}
