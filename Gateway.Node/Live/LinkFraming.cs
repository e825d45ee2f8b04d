using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

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
        // DLT_RAW is 12 on Linux; 101 is its number in pcap files, which some libpcaps return instead.
        LinkLayers.RawLegacy or LinkLayers.Raw => LinkFraming.RawIp,
        LinkLayers.LinuxSll => LinkFraming.LinuxCooked,
        _ => throw new InvalidOperationException(
            $"interface {interfaceName} has libpcap link type {datalink} ({(int)datalink}); vpnmasqd forwards on Ethernet, raw IP (ppp, tun, WireGuard) and Linux cooked links only"),
    };

    /// <summary>
    /// The framing libpcap gives on <paramref name="interfaceName"/>, from a capture opened and closed at once: a link
    /// vpnmasqd cannot use is refused before the node joins its cluster, not after.
    /// </summary>
    public static LinkFraming Probe(string interfaceName)
    {
        var device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == interfaceName)
                     ?? throw new InvalidOperationException($"libpcap does not see interface {interfaceName}");
        try
        {
            device.Open(new DeviceConfiguration { Mode = DeviceModes.None, Snaplen = 128 });
            return Of(interfaceName, device.LinkType);
        }
        catch (PcapException e)
        {
            throw new InvalidOperationException($"cannot capture on {interfaceName}: {e.Message.Trim()} (run as root or with CAP_NET_RAW)", e);
        }
        finally
        {
            device.Close();
        }
    }

    public static string Name(this LinkFraming framing) => framing switch
    {
        LinkFraming.Ethernet => "ethernet",
        LinkFraming.RawIp => "raw-ip",
        _ => "linux-cooked",
    };
}
