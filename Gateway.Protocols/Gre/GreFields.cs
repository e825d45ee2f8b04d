using System.Buffers.Binary;

namespace VpnMasq.Protocols.Gre;

/// <summary>A GRE header as plain data (no v0 routing). For version 1, Key = PayloadLength &lt;&lt; 16 | CallId.</summary>
internal readonly record struct GreFields(
    int Version,
    ushort ProtocolType,
    uint? Key = null,
    uint? SequenceNumber = null,
    uint? AcknowledgmentNumber = null,
    ushort? Checksum = null)
{
    public static GreFields Enhanced(ushort callId, ushort payloadLength, uint? sequence = null, uint? ack = null) =>
        new(1, GreHeader.PppProtocol, ((uint)payloadLength << 16) | callId, sequence, ack);

    public int Length => GreHeader.FixedLength + (Checksum is null ? 0 : 4) + (Key is null ? 0 : 4)
        + (SequenceNumber is null ? 0 : 4) + (AcknowledgmentNumber is null ? 0 : 4);

    public static GreFields From(GreHeader header) => new(
        header.Version,
        header.ProtocolType,
        header.HasKey ? header.Key : null,
        header.HasSequence ? header.SequenceNumber : null,
        header.HasAcknowledgment ? header.AcknowledgmentNumber : null,
        header.HasChecksum ? header.Checksum : null);

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)((Checksum is null ? 0 : GreHeader.ChecksumFlag) | (Key is null ? 0 : GreHeader.KeyFlag)
            | (SequenceNumber is null ? 0 : GreHeader.SequenceFlag));
        destination[1] = (byte)((AcknowledgmentNumber is null ? 0 : GreHeader.AckFlag) | (Version & 0x07));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], ProtocolType);
        int offset = GreHeader.FixedLength;
        if (Checksum is { } checksum)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], checksum);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], 0);
            offset += 4;
        }

        offset = WriteOptional(destination, offset, Key);
        offset = WriteOptional(destination, offset, SequenceNumber);
        return WriteOptional(destination, offset, AcknowledgmentNumber);
    }

    private static int WriteOptional(Span<byte> destination, int offset, uint? value)
    {
        if (value is not { } v)
            return offset;
        BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], v);
        return offset + 4;
    }
}
