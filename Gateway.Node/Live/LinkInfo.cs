using System.Net.NetworkInformation;
using System.Net.Sockets;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Live;

/// <summary>An interface's Ethernet address and IPv4 address, read from the kernel.</summary>
internal sealed record LinkInfo(string Name, byte[] Mac, uint Address, int PrefixLength)
{
    /// <exception cref="InvalidOperationException">No such interface, or it has no IPv4 address.</exception>
    public static LinkInfo Read(string name)
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name)
                  ?? throw new InvalidOperationException($"interface {name} does not exist (ip link show {name})");
        var ipv4 = nic.GetIPProperties().UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
        var mac = nic.GetPhysicalAddress().GetAddressBytes();
        if (mac.Length != 6)
            throw new InvalidOperationException($"interface {name} is not an Ethernet interface");
        return new LinkInfo(name, mac, ipv4 is null ? 0 : Ipv4Address.FromIPAddress(ipv4.Address), ipv4?.PrefixLength ?? 0);
    }

    public bool OnLink(uint address) =>
        Address != 0 && PrefixLength > 0 && new Cidr(Address, PrefixLength).Contains(address);
}
