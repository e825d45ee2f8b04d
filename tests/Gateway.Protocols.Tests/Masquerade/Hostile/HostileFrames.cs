using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Ipv4;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

/// <summary>
/// Good frames made to lie. Every lie keeps the checksums it can keep valid, so the gateway refuses the frame
/// for the lie itself and not for a checksum a sender would have got right.
/// </summary>
internal static class HostileFrames
{
    public const int Ip = 14;

    /// <summary>The attacker: an inside host that is none of the bystanders.</summary>
    public static uint Attacker => InsideA;

    /// <summary>Every prefix of <paramref name="frame"/> shorter than it, from the empty frame up.</summary>
    public static IEnumerable<byte[]> Truncations(byte[] frame)
    {
        for (int length = 0; length < frame.Length; length++)
            yield return frame[..length];
    }

    /// <summary>Sets the IPv4 header length field (in 32-bit words) and fixes the header checksum over what it now claims.</summary>
    public static byte[] WithHeaderWords(byte[] frame, int words)
    {
        var copy = frame.ToArray();
        copy[Ip] = (byte)(0x40 | (words & 0x0F));
        FixHeaderChecksum(copy, Math.Max(words * 4, Ipv4Header.MinLength));
        return copy;
    }

    public static byte[] WithVersion(byte[] frame, int version)
    {
        var copy = frame.ToArray();
        copy[Ip] = (byte)((version << 4) | (copy[Ip] & 0x0F));
        FixHeaderChecksum(copy, Ipv4Header.MinLength);
        return copy;
    }

    /// <summary>Sets the IPv4 Total Length and fixes the header checksum (the transport checksum is left as it was).</summary>
    public static byte[] WithTotalLength(byte[] frame, int totalLength)
    {
        var copy = frame.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(Ip + Ipv4Header.TotalLengthOffset), (ushort)totalLength);
        FixHeaderChecksum(copy, (copy[Ip] & 0x0F) * 4);
        return copy;
    }

    /// <summary>Overwrites bytes of the IP payload at <paramref name="offset"/> and refills both checksums.</summary>
    public static byte[] WithPayloadBytes(byte[] frame, int offset, params byte[] bytes)
    {
        var copy = frame.ToArray();
        int header = (copy[Ip] & 0x0F) * 4;
        bytes.CopyTo(copy.AsSpan(Ip + header + offset));
        TransportChecksum.Fill(copy.AsSpan(Ip, BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(Ip + 2))));
        return copy;
    }

    public static byte[] WithTtl(byte[] frame, byte ttl)
    {
        var copy = frame.ToArray();
        copy[Ip + Ipv4Header.TtlOffset] = ttl;
        FixHeaderChecksum(copy, (copy[Ip] & 0x0F) * 4);
        return copy;
    }

    /// <summary>The datagram of <paramref name="frame"/> carried with IPv4 options (padded to 4 bytes), checksums refilled.</summary>
    public static byte[] WithOptions(byte[] frame, byte[] options)
    {
        var old = DatagramOf(frame);
        int header = (old[0] & 0x0F) * 4;
        var datagram = new byte[old.Length + options.Length];
        old.AsSpan(0, header).CopyTo(datagram);
        options.CopyTo(datagram, header);
        old.AsSpan(header).CopyTo(datagram.AsSpan(header + options.Length));
        datagram[0] = (byte)(0x40 | ((header + options.Length) / 4));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)datagram.Length);
        TransportChecksum.Fill(datagram);
        return Ethernet(datagram);
    }

    /// <summary>One hand-built fragment: <paramref name="payload"/> at <paramref name="offset"/> bytes of datagram <paramref name="id"/>.</summary>
    public static byte[] Fragment(uint source, uint destination, byte protocol, ushort id, int offset, bool more, byte[] payload)
    {
        var ip = new Ipv4Fields(source, destination, protocol, 0, id, MoreFragments: more, FragmentOffsetBytes: offset);
        return Ethernet(Support.Datagrams.BuildUnchecked(ip, payload));
    }

    private static void FixHeaderChecksum(byte[] frame, int headerLength)
    {
        var header = frame.AsSpan(Ip, Math.Min(headerLength, frame.Length - Ip));
        BinaryPrimitives.WriteUInt16BigEndian(header[Ipv4Header.ChecksumOffset..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(header[Ipv4Header.ChecksumOffset..], InternetChecksum.Compute(header));
    }
}
