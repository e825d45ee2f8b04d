using PacketDotNet;

namespace VpnMasq.Node.Live;

/// <summary>What libpcap gives on an interface, and so how its frames are brought to the pipeline's one format.</summary>
internal enum LinkFraming
{
    /// <summary>Ethernet II: frames pass as they are; next hops are resolved with ARP.</summary>
    Ethernet,

    /// <summary>IP with no link header (tun, WireGuard; DLT_RAW): a point-to-point link with one next hop, no ARP.</summary>
    RawIp,

    /// <summary>Linux cooked capture (SLL), what libpcap gives on a ppp device: point-to-point as well.</summary>
    LinuxCooked,
}

internal static class LinkFramings
{
    /// <summary>
    /// The framing of an interface from its libpcap datalink, never from its name (a tun may be called ppp0).
    /// </summary>
    /// <exception cref="InvalidOperationException">A datalink vpnmasqd cannot forward on.</exception>
    public static LinkFraming Of(string interfaceName, LinkLayers datalink) => datalink switch
    {
        LinkLayers.Ethernet => LinkFraming.Ethernet,
        // DLT_RAW is 12 on Linux, 14 on OpenBSD; 101 is its pcap-file number, which some libpcaps return.
        LinkLayers.RawLegacy or LinkLayers.Raw or (LinkLayers)14 => LinkFraming.RawIp,
        LinkLayers.LinuxSll => LinkFraming.LinuxCooked,
        _ => throw new InvalidOperationException(
            $"interface {interfaceName} has libpcap link type {datalink} ({(int)datalink}); vpnmasqd forwards on Ethernet, raw IP (ppp, tun, WireGuard) and Linux cooked links only"),
    };

    public static string Name(this LinkFraming framing) => framing switch
    {
        LinkFraming.Ethernet => "ethernet",
        LinkFraming.RawIp => "raw-ip",
        _ => "linux-cooked",
    };
}
