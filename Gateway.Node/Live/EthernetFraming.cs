using VpnMasq.Protocols;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Node.Live;

/// <summary>
/// Frames from links without an Ethernet header (raw IP, Linux cooked) get one as they are captured, and lose it
/// again as they are sent: the ingress pipeline, the front and replay all read one frame format, Ethernet, and
/// need not know what link a frame came from. The addresses in the made-up header are zero: a point-to-point link
/// has one next hop, and the send side never reads them. The cost per frame is 14 bytes more in the one copy out of
/// libpcap's ring that every captured frame gets anyway (on Ethernet, SharpPcap's GetPacket makes it): no second
/// copy; sending strips the header as a slice, without a copy either.
/// </summary>
internal static class EthernetFraming
{
    private const int LinkHeaderLength = EthernetHeader.UntaggedLength;

    /// <summary>An IPv4 packet from a raw-IP link as an Ethernet frame; null for anything else (IPv6 on a tun).</summary>
    public static byte[]? FromRawIp(ReadOnlySpan<byte> packet) =>
        // A raw link has no type field: the IP version nibble is all that says what the packet is.
        Ipv4Header.IsVersion4(packet) ? Framed(packet) : null;

    /// <summary>
    /// An IPv4 packet the host received on a Linux cooked capture as an Ethernet frame; null for another protocol,
    /// a packet the host sent, or a header too short to read.
    /// </summary>
    public static byte[]? FromLinuxCooked(ReadOnlySpan<byte> captured)
    {
        if (LinuxCookedHeader.Parse(captured, out var header) != ParseStatus.Ok
            || header.Protocol != EtherType.Ipv4 || header.PacketType == LinuxCookedHeader.PacketTypeOutgoing)
            return null;
        return Framed(captured[LinuxCookedHeader.Length..]);
    }

    /// <summary>The IP packet inside a frame the pipeline made or framed: what a raw-IP link sends.</summary>
    public static ReadOnlySpan<byte> ToRawIp(byte[] frame) =>
        frame.Length > LinkHeaderLength ? frame.AsSpan(LinkHeaderLength) : [];

    private static byte[] Framed(ReadOnlySpan<byte> packet)
    {
        var frame = new byte[LinkHeaderLength + packet.Length];
        new EthernetFields(0, 0, EtherType.Ipv4).WriteTo(frame);
        packet.CopyTo(frame.AsSpan(LinkHeaderLength));
        return frame;
    }
}
