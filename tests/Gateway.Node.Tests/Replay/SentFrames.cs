using System.Buffers.Binary;
using PacketDotNet;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Pptp;
using LinkType = VpnMasq.Protocols.Link.LinkType;

namespace VpnMasq.Node.Tests.Replay;

/// <summary>
/// Reads the frames a replay sent: each as one line naming the fields a masquerade rewrites or must keep
/// (addresses, ports, SPI, cookies, Call IDs), its checksums as PacketDotNet (an independent parser) sees
/// them, and a copy with exactly those rewritable fields blanked, so that input and output can be compared
/// byte for byte everywhere else.
/// </summary>
internal static class SentFrames
{
    private const uint PptpMagicCookie = 0x1A2B3C4D;

    public static string Describe(byte[] frame)
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        if (!d.IsOk)
            return $"malformed at {d.FailedLayer}";
        string source = Ipv4Address.Format(d.Source), destination = Ipv4Address.Format(d.Destination);
        return d.Kind switch
        {
            FrameKind.Esp => $"{source} > {destination} esp spi={d.Spi:x8}",
            FrameKind.Isakmp => $"{source}:{d.SourcePort} > {destination}:{d.DestinationPort} isakmp {d.InitiatorCookie:x16}/{d.ResponderCookie:x16}",
            FrameKind.Gre => $"{source} > {destination} gre v{d.GreVersion} call={d.GreCallId}",
            FrameKind.Tcp => $"{source}:{d.SourcePort} > {destination}:{d.DestinationPort} tcp{DescribePptp(frame, d)}",
            _ => $"{source} > {destination} {d.Kind}",
        };
    }

    /// <summary>PacketDotNet finds the IPv4 header checksum and the TCP or UDP checksum valid.</summary>
    public static void AssertChecksumsValid(byte[] frame, string what)
    {
        var ip = Packet.ParsePacket(LinkLayers.Ethernet, frame).Extract<IPv4Packet>();
        Assert.True(ip is not null, $"{what} is not IPv4");
        Assert.True(ip.ValidIPChecksum, $"{what} has a bad IPv4 header checksum");
        switch (ip.Protocol)
        {
            case ProtocolType.Tcp:
                Assert.True(Assert.IsType<TcpPacket>(ip.PayloadPacket).ValidTcpChecksum, $"{what} has a bad TCP checksum");
                break;
            case ProtocolType.Udp:
                var udp = Assert.IsType<UdpPacket>(ip.PayloadPacket);

                // The samples' UDP carries a checksum, so what is sent must carry one too, not "none" (0).
                Assert.True(udp.Checksum != 0, $"{what} has lost its UDP checksum");
                Assert.True(udp.ValidUdpChecksum, $"{what} has a bad UDP checksum");
                break;
        }
    }

    /// <summary>
    /// A copy of the frame with every field a masquerade may change set to zero: the link header (the replay
    /// contract says nothing of MAC addresses), IPv4 TTL, header checksum and addresses, TCP/UDP ports and
    /// checksum, the Call ID in a GRE v1 key, and the Call ID fields of a PPTP control message.
    /// </summary>
    public static byte[] WithRewritableFieldsZeroed(byte[] frame)
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        Assert.True(d.IsOk, $"frame is malformed at {d.FailedLayer}");
        var copy = (byte[])frame.Clone();
        var bytes = copy.AsSpan();
        bytes[..d.NetworkOffset].Clear();
        bytes[d.NetworkOffset + 8] = 0;                       // TTL
        bytes.Slice(d.NetworkOffset + 10, 10).Clear();        // header checksum, source, destination
        int transport = d.TransportOffset;
        switch (d.Kind)
        {
            case FrameKind.Tcp:
                bytes.Slice(transport, 4).Clear();
                bytes.Slice(transport + 16, 2).Clear();
                foreach (var (offset, _) in PptpCallIdFields(frame, d))
                    bytes.Slice(d.ApplicationOffset + offset, 2).Clear();
                break;
            case FrameKind.Udp or FrameKind.Isakmp:
                bytes.Slice(transport, 4).Clear();
                bytes.Slice(transport + 6, 2).Clear();
                break;
            case FrameKind.Gre:
                // RFC 2637 §4.1: no checksum in GRE v1, so the key (payload length, Call ID) starts at 4.
                bytes.Slice(transport + 6, 2).Clear();
                break;
        }

        return copy;
    }

    private static string DescribePptp(byte[] frame, Dissection d)
    {
        if (!TryReadPptpType(frame, d, out var type))
            return "";
        var fields = PptpCallIdFields(frame, d)
            .Select(f => $" {f.Name}={BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(d.ApplicationOffset + f.Offset))}");
        return $" pptp {type}{string.Concat(fields)}";
    }

    /// <summary>
    /// The Call ID fields, read by their RFC 2637 offsets rather than the gateway's own table, of the two
    /// call messages the sample has: Outgoing-Call-Request (§2.7: Call ID at 12) and Outgoing-Call-Reply
    /// (§2.8: Call ID at 12, Peer's Call ID at 14). Other messages are shown by name only.
    /// </summary>
    private static (int Offset, string Name)[] PptpCallIdFields(byte[] frame, Dissection d)
    {
        if (!TryReadPptpType(frame, d, out var type))
            return [];
        return type switch
        {
            PptpControlType.OutgoingCallRequest => [(12, "call")],
            PptpControlType.OutgoingCallReply => [(12, "call"), (14, "peer")],
            _ => [],
        };
    }

    /// <summary>One whole control message per segment, as in the samples: length, message type 1, magic cookie.</summary>
    private static bool TryReadPptpType(byte[] frame, Dissection d, out PptpControlType type)
    {
        var data = frame.AsSpan(d.ApplicationOffset, d.NetworkEnd - d.ApplicationOffset);
        type = default;
        if (data.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(data) != data.Length
            || BinaryPrimitives.ReadUInt16BigEndian(data[2..]) != 1 || BinaryPrimitives.ReadUInt32BigEndian(data[4..]) != PptpMagicCookie)
            return false;
        type = (PptpControlType)BinaryPrimitives.ReadUInt16BigEndian(data[8..]);
        return true;
    }
}
