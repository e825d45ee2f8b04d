using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Live;

/// <summary>
/// An interface's IPv4 address and its Ethernet address, read from the kernel; a point-to-point link (ppp, tun)
/// has no Ethernet address (<see cref="Mac"/> is empty). Whether vpnmasqd can use the link is libpcap's word
/// (<see cref="LinkFramings.Probe"/>), not the address length's.
/// </summary>
internal sealed record LinkInfo(string Name, byte[] Mac, uint Address, int PrefixLength)
{
    /// <exception cref="InvalidOperationException">No such interface, or it has no IPv4 address.</exception>
    public static LinkInfo Read(string name)
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name)
                  ?? throw new InvalidOperationException($"interface {name} does not exist (ip link show {name})");
        var ipv4 = nic.GetIPProperties().UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
        var mac = nic.GetPhysicalAddress().GetAddressBytes();
        return new LinkInfo(name, mac, ipv4 is null ? 0 : Ipv4Address.FromIPAddress(ipv4.Address), ipv4?.PrefixLength ?? 0);
    }

    /// <summary>The kernel's index of interface <paramref name="name"/>, as packet sockets are bound and addressed by it.</summary>
    public static int IndexOf(string name) =>
        int.Parse(File.ReadAllText($"/sys/class/net/{name}/ifindex").Trim(), CultureInfo.InvariantCulture);

    public bool OnLink(uint address) =>
        Address != 0 && PrefixLength > 0 && new Cidr(Address, PrefixLength).Contains(address);
}
