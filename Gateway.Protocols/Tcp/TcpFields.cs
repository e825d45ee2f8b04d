using System.Buffers.Binary;

namespace VpnMasq.Protocols.Tcp;

/// <summary>A TCP header as plain data; the checksum is left for <see cref="Checksums.TransportChecksum"/>.</summary>
internal readonly record struct TcpFields(
    ushort SourcePort,
    ushort DestinationPort,
    uint SequenceNumber = 0,
    uint AcknowledgmentNumber = 0,
    TcpFlags Flags = TcpFlags.None,
    ushort Window = 65535,
    ushort Checksum = 0,
    ushort UrgentPointer = 0,
    byte[]? Options = null)
{
    public int HeaderLength => TcpHeader.MinLength + (Options?.Length ?? 0);

    public static TcpFields From(TcpHeader header) => new(
        header.SourcePort, header.DestinationPort, header.SequenceNumber, header.AcknowledgmentNumber,
        header.Flags, header.Window, header.Checksum, header.UrgentPointer,
        header.Options.IsEmpty ? null : header.Options.ToArray());

    public int WriteTo(Span<byte> destination)
    {
        int length = HeaderLength;
        if (length % 4 != 0 || length > 60)
            throw new InvalidOperationException("TCP options must be a multiple of 4 bytes, at most 40.");
        BinaryPrimitives.WriteUInt16BigEndian(destination[TcpHeader.SourcePortOffset..], SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[TcpHeader.DestinationPortOffset..], DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination[TcpHeader.SequenceOffset..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[TcpHeader.AcknowledgmentOffset..], AcknowledgmentNumber);
        destination[TcpHeader.DataOffsetOffset] = (byte)((length / 4) << 4);
        destination[TcpHeader.FlagsOffset] = (byte)Flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[TcpHeader.WindowOffset..], Window);
        BinaryPrimitives.WriteUInt16BigEndian(destination[TcpHeader.ChecksumOffset..], Checksum);
        BinaryPrimitives.WriteUInt16BigEndian(destination[TcpHeader.UrgentOffset..], UrgentPointer);
        Options?.CopyTo(destination[TcpHeader.MinLength..]);
        return length;
    }

    public bool Equals(TcpFields other) =>
        SourcePort == other.SourcePort && DestinationPort == other.DestinationPort
        && SequenceNumber == other.SequenceNumber && AcknowledgmentNumber == other.AcknowledgmentNumber
        && Flags == other.Flags && Window == other.Window && Checksum == other.Checksum
        && UrgentPointer == other.UrgentPointer && (Options ?? []).AsSpan().SequenceEqual(other.Options ?? []);

    public override int GetHashCode() => HashCode.Combine(SourcePort, DestinationPort, SequenceNumber, AcknowledgmentNumber);
}
