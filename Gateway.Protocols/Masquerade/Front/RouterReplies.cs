using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Protocols.Masquerade.Front;

/// <summary>What the gateway answers a datagram it will not forward with (RFC 1812 §4.3, §5.3.1; RFC 793 reset generation).</summary>
internal enum RouterReply : byte
{
    /// <summary>ICMP Time Exceeded, code 0: the TTL ran out here (traceroute counts on it).</summary>
    TimeExceeded,

    /// <summary>ICMP Destination Unreachable, code 4, with the next hop's MTU (RFC 1191): path-MTU discovery.</summary>
    FragmentationNeeded,

    /// <summary>ICMP Destination Unreachable, code 3: a REJECT rule refused a UDP datagram.</summary>
    PortUnreachable,

    /// <summary>ICMP Destination Unreachable, code 1: a REJECT rule refused a datagram that is neither TCP nor UDP.</summary>
    HostUnreachable,

    /// <summary>A TCP RST: a REJECT rule refused a TCP segment.</summary>
    TcpReset,
}

/// <summary>
/// Builds the frames a router sends back about a datagram it did not forward. Each is a whole Ethernet frame
/// (addresses left zero for the link to fill, as for every frame the gateway sends) carrying a new IPv4 datagram
/// from the gateway to the offending datagram's source, with valid checksums.
/// </summary>
internal static class RouterReplies
{
    /// <summary>RFC 1812 §4.3.2.3: quote as much of the datagram as fits in 576 bytes, as Linux does.</summary>
    public const int MaxReplyDatagram = 576;
    private const byte ReplyTtl = 64;
    private const int IcmpDestinationUnreachable = 3;
    private static int _identification;

    /// <summary>
    /// RFC 1812 §4.3.2.7: never about an ICMP error, a fragment other than the first, or a datagram whose source
    /// does not name one host (0, loopback, multicast, broadcast, class E); and never to a multicast or broadcast destination.
    /// </summary>
    public static bool MayAnswer(ReadOnlySpan<byte> datagram)
    {
        if (Ipv4Header.Parse(datagram, out var ip) != ParseStatus.Ok)
            return false;
        if (ip.FragmentOffsetBytes != 0 || !IsUnicast(ip.Source) || IsMulticastOrBroadcast(ip.Destination))
            return false;
        if (ip.Protocol != IpProtocol.Icmp)
            return true;
        var payload = ip.Payload;
        return payload.Length > 0 && !IcmpTypes.IsError((IcmpType)payload[0]);
    }

    /// <summary>The reply frame, or null when <paramref name="datagram"/> may not be answered (see <see cref="MayAnswer"/>).</summary>
    /// <param name="datagram">The offending IPv4 datagram as it arrived (before any rewrite).</param>
    /// <param name="from">The gateway's address on the link the reply leaves by (a reset comes from the segment's destination).</param>
    /// <param name="mtu">The next hop's MTU, for <see cref="RouterReply.FragmentationNeeded"/>.</param>
    public static byte[]? Build(RouterReply reply, ReadOnlySpan<byte> datagram, uint from, int mtu = 0) =>
        MayAnswer(datagram) ? BuildAnswerable(reply, datagram, from, mtu) : null;

    /// <summary><see cref="Build"/> for a datagram the caller has already found <see cref="MayAnswer"/>.</summary>
    internal static byte[]? BuildAnswerable(RouterReply reply, ReadOnlySpan<byte> datagram, uint from, int mtu)
    {
        Ipv4Header.Parse(datagram, out var ip);
        if (reply == RouterReply.TcpReset)
            return ip.Protocol == IpProtocol.Tcp ? Reset(ip) : null;
        var (type, code) = reply switch
        {
            RouterReply.TimeExceeded => ((byte)IcmpType.TimeExceeded, (byte)0),
            RouterReply.FragmentationNeeded => ((byte)IcmpDestinationUnreachable, (byte)4),
            RouterReply.PortUnreachable => ((byte)IcmpDestinationUnreachable, (byte)3),
            _ => ((byte)IcmpDestinationUnreachable, (byte)1),
        };
        var quoted = ip.Packet[..Math.Min((int)ip.TotalLength, MaxReplyDatagram - Ipv4Header.MinLength - IcmpHeader.Length)];
        var frame = NewFrame(IpProtocol.Icmp, from, ip.Source, IcmpHeader.Length + quoted.Length, out var icmp);
        icmp[0] = type;
        icmp[1] = code;
        if (reply == RouterReply.FragmentationNeeded)
            BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], (ushort)mtu);
        quoted.CopyTo(icmp[IcmpHeader.Length..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[IcmpHeader.ChecksumOffset..], InternetChecksum.Compute(icmp));
        return frame;
    }

    /// <summary>RFC 793 p. 36, "reset generation": the RST takes its sequence number from the segment's ACK, or acknowledges it.</summary>
    private static byte[]? Reset(Ipv4Header ip)
    {
        if (TcpHeader.Parse(ip.Payload, out var tcp) != ParseStatus.Ok || (tcp.Flags & TcpFlags.Rst) != 0)
            return null; // a reset is never answered

        // As Linux's REJECT --reject-with tcp-reset: the reset comes from the address the segment was sent to.
        var frame = NewFrame(IpProtocol.Tcp, ip.Destination, ip.Source, TcpHeader.MinLength, out var rst);
        BinaryPrimitives.WriteUInt16BigEndian(rst, tcp.DestinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(rst[2..], tcp.SourcePort);
        if ((tcp.Flags & TcpFlags.Ack) != 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(rst[4..], tcp.AcknowledgmentNumber);
            rst[13] = (byte)TcpFlags.Rst;
        }
        else
        {
            int length = ip.Payload.Length - tcp.HeaderLength
                         + ((tcp.Flags & TcpFlags.Syn) != 0 ? 1 : 0) + ((tcp.Flags & TcpFlags.Fin) != 0 ? 1 : 0);
            BinaryPrimitives.WriteUInt32BigEndian(rst[8..], unchecked(tcp.SequenceNumber + (uint)length));
            rst[13] = (byte)(TcpFlags.Rst | TcpFlags.Ack);
        }

        rst[12] = TcpHeader.MinLength / 4 << 4;
        var datagram = frame.AsSpan(EthernetHeader.UntaggedLength);
        TransportChecksum.Fill(datagram);
        return frame;
    }

    private static byte[] NewFrame(byte protocol, uint from, uint to, int payloadLength, out Span<byte> payload)
    {
        int total = Ipv4Header.MinLength + payloadLength;
        var frame = new byte[EthernetHeader.UntaggedLength + total];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), EtherType.Ipv4);
        var ip = frame.AsSpan(EthernetHeader.UntaggedLength);
        var id = (ushort)Interlocked.Increment(ref _identification);
        new Ipv4Fields(from, to, protocol, (ushort)total, id, TimeToLive: ReplyTtl).WriteTo(ip);
        payload = ip[Ipv4Header.MinLength..];
        return frame;
    }

    private static bool IsUnicast(uint address) =>
        address != 0 && address >> 24 != 127 && address >> 28 < 0xE;

    private static bool IsMulticastOrBroadcast(uint address) => address >> 28 >= 0xE;
}
