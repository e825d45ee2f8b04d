using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Masquerade.Fragments;

/// <summary>
/// Splits a frame whose IPv4 datagram exceeds the link MTU into fragments that fit (RFC 791 §3.2),
/// so nothing larger than the MTU is ever sent (DESIGN §3.1).
/// </summary>
internal static class Fragmenter
{
    /// <summary>RFC 791: every module must be able to forward a 68-octet datagram without fragmenting it.</summary>
    public const int MinimumMtu = 68;
    private const int MaxHeaderLength = 60;
    private const byte EndOfOptions = 0;
    private const byte NoOperation = 1;
    private const byte CopiedFlag = 0x80;

    /// <summary>
    /// Returns the frames to send for <paramref name="frame"/>, whose IPv4 header starts at
    /// <paramref name="networkOffset"/>; <paramref name="mtu"/> counts the IP datagram, not the link header.
    /// A datagram that fits comes back unchanged as the only element. Otherwise each fragment carries
    /// the link header, a copy of the IP header (non-first ones keep only the options with the copied
    /// flag), at most <paramref name="mtu"/> bytes of datagram and a valid header checksum; a datagram
    /// that was itself a fragment keeps its offset and its More Fragments flag on the last piece.
    /// The list is empty when the datagram cannot be sent: Don't Fragment is set (the caller drops it,
    /// and answering with ICMP "fragmentation needed" is the caller's business) or the IPv4 header is malformed.
    /// </summary>
    public static IReadOnlyList<byte[]> Fragment(ReadOnlySpan<byte> frame, int networkOffset, int mtu)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mtu, MinimumMtu);
        ArgumentOutOfRangeException.ThrowIfNegative(networkOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(networkOffset, frame.Length);
        if (Ipv4Header.Parse(frame[networkOffset..], out var ip) != ParseStatus.Ok)
            return [];
        if (ip.TotalLength <= mtu)
            return [frame.ToArray()];
        if (ip.DontFragment)
            return [];

        var link = frame[..networkOffset];
        var firstHeader = frame.Slice(networkOffset, ip.HeaderLength);
        Span<byte> laterHeaderBuffer = stackalloc byte[MaxHeaderLength];
        var laterHeader = laterHeaderBuffer[..WriteLaterHeader(firstHeader, laterHeaderBuffer)];
        var payload = ip.Payload;

        var fragments = new List<byte[]>();
        for (int position = 0; position < payload.Length;)
        {
            var header = position == 0 ? firstHeader : laterHeader;
            int size = Math.Min((mtu - header.Length) & ~7, payload.Length - position);
            bool more = position + size < payload.Length || ip.MoreFragments;
            fragments.Add(Build(link, header, payload.Slice(position, size), ip.FragmentOffsetBytes + position, more));
            position += size;
        }

        return fragments;
    }

    private static byte[] Build(ReadOnlySpan<byte> link, ReadOnlySpan<byte> header, ReadOnlySpan<byte> data, int offsetBytes, bool more)
    {
        var frame = new byte[link.Length + header.Length + data.Length];
        link.CopyTo(frame);
        header.CopyTo(frame.AsSpan(link.Length));
        data.CopyTo(frame.AsSpan(link.Length + header.Length));

        var ip = frame.AsSpan(link.Length, header.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv4Header.TotalLengthOffset..], (ushort)(header.Length + data.Length));
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(ip[Ipv4Header.FragmentOffset..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv4Header.FragmentOffset..], FragmentFlags.Compose(flags, more, offsetBytes));
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv4Header.ChecksumOffset..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv4Header.ChecksumOffset..], InternetChecksum.Compute(ip));
        return frame;
    }

    /// <summary>
    /// Writes the header for fragments after the first: the fixed part, then only the options whose
    /// copied flag is set (RFC 791 §3.1), padded with End of Options to a 4-byte boundary. Unparseable
    /// options end the copy. Returns the header length.
    /// </summary>
    private static int WriteLaterHeader(ReadOnlySpan<byte> first, Span<byte> destination)
    {
        first[..Ipv4Header.MinLength].CopyTo(destination);
        var options = first[Ipv4Header.MinLength..];
        int length = Ipv4Header.MinLength;
        int at = 0;
        while (at < options.Length && options[at] != EndOfOptions)
        {
            if (options[at] == NoOperation)
            {
                at++;
                continue;
            }

            if (at + 1 >= options.Length || options[at + 1] < 2 || at + options[at + 1] > options.Length)
                break;
            var option = options.Slice(at, options[at + 1]);
            if ((option[0] & CopiedFlag) != 0)
            {
                option.CopyTo(destination[length..]);
                length += option.Length;
            }

            at += option.Length;
        }

        while (length % 4 != 0)
            destination[length++] = EndOfOptions;
        destination[0] = (byte)(0x40 | (length / 4));
        return length;
    }
}
