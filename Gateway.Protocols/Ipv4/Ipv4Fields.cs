using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;

namespace VpnMasq.Protocols.Ipv4;

/// <summary>An IPv4 header as plain data. <see cref="WriteTo"/> computes the header checksum.</summary>
internal readonly record struct Ipv4Fields(
    uint Source,
    uint Destination,
    byte Protocol,
    ushort TotalLength,
    ushort Identification = 0,
    bool DontFragment = false,
    bool MoreFragments = false,
    int FragmentOffsetBytes = 0,
    byte TimeToLive = 64,
    byte TypeOfService = 0,
    byte[]? Options = null)
{
    public int HeaderLength => Ipv4Header.MinLength + (Options?.Length ?? 0);

    public static Ipv4Fields From(Ipv4Header header) => new(
        header.Source, header.Destination, header.Protocol, header.TotalLength, header.Identification,
        header.DontFragment, header.MoreFragments, header.FragmentOffsetBytes, header.TimeToLive,
        header.TypeOfService, header.Options.IsEmpty ? null : header.Options.ToArray());

    /// <summary>Writes the header (options padded to 4 bytes by the caller) and its checksum.</summary>
    public int WriteTo(Span<byte> destination)
    {
        int length = HeaderLength;
        if (length % 4 != 0 || length > 60)
            throw new InvalidOperationException("IPv4 options must be a multiple of 4 bytes, at most 40.");
        destination[0] = (byte)(0x40 | (length / 4));
        destination[1] = TypeOfService;
        BinaryPrimitives.WriteUInt16BigEndian(destination[Ipv4Header.TotalLengthOffset..], TotalLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[Ipv4Header.IdentificationOffset..], Identification);
        ushort flags = (ushort)((DontFragment ? 0x4000 : 0) | (MoreFragments ? 0x2000 : 0) | ((FragmentOffsetBytes / 8) & 0x1FFF));
        BinaryPrimitives.WriteUInt16BigEndian(destination[Ipv4Header.FragmentOffset..], flags);
        destination[Ipv4Header.TtlOffset] = TimeToLive;
        destination[Ipv4Header.ProtocolOffset] = Protocol;
        BinaryPrimitives.WriteUInt16BigEndian(destination[Ipv4Header.ChecksumOffset..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[Ipv4Header.SourceOffset..], Source);
        BinaryPrimitives.WriteUInt32BigEndian(destination[Ipv4Header.DestinationOffset..], Destination);
        Options?.CopyTo(destination[Ipv4Header.MinLength..]);
        ushort checksum = InternetChecksum.Compute(destination[..length]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[Ipv4Header.ChecksumOffset..], checksum);
        return length;
    }

    public bool Equals(Ipv4Fields other) =>
        Source == other.Source && Destination == other.Destination && Protocol == other.Protocol
        && TotalLength == other.TotalLength && Identification == other.Identification
        && DontFragment == other.DontFragment && MoreFragments == other.MoreFragments
        && FragmentOffsetBytes == other.FragmentOffsetBytes && TimeToLive == other.TimeToLive
        && TypeOfService == other.TypeOfService
        && (Options ?? []).AsSpan().SequenceEqual(other.Options ?? []);

    public override int GetHashCode() => HashCode.Combine(Source, Destination, Protocol, TotalLength, Identification);
}
