using System.Globalization;
using Microsoft.Extensions.Configuration;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Node.Configuration.SectionValues;

namespace VpnMasq.Node.Configuration;

/// <summary>
/// Binds <c>Masquerade:PortForwards</c> (ipportfw) and <c>Masquerade:ProtocolForwards</c> (ipfwd),
/// HOWTO §3.8. Targets must lie inside <c>Masquerade:Inside</c>, and no two forwards may claim the
/// same inbound traffic.
/// </summary>
internal static class ForwardBinder
{
    private const string PortForwardsKey = MasqueradeOptionsBinder.SectionName + ":PortForwards";
    private const string ProtocolForwardsKey = MasqueradeOptionsBinder.SectionName + ":ProtocolForwards";

    private static readonly Dictionary<string, byte> ProtocolNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["icmp"] = IpProtocol.Icmp,
        ["tcp"] = IpProtocol.Tcp,
        ["udp"] = IpProtocol.Udp,
        ["gre"] = IpProtocol.Gre,
        ["esp"] = IpProtocol.Esp,
        ["ah"] = IpProtocol.Ah,
    };

    public static List<PortForward> ReadPortForwards(IConfigurationSection section, IReadOnlyList<Cidr> inside)
    {
        var forwards = new List<PortForward>();
        var claimed = new Dictionary<(byte, ushort), string>();
        foreach (var entry in List(section, singleValueAllowed: false))
        {
            RequireKnownKeys(entry, "Protocol", "PublicPort", "Target");
            var protocolKey = entry.GetSection("Protocol");
            byte protocol = Text(protocolKey) switch
            {
                null => throw Missing(protocolKey, "tcp or udp"),
                var text when text.Trim().Equals("tcp", StringComparison.OrdinalIgnoreCase) => IpProtocol.Tcp,
                var text when text.Trim().Equals("udp", StringComparison.OrdinalIgnoreCase) => IpProtocol.Udp,
                var text => throw Bad(protocolKey, text, $"is not tcp or udp (other protocols go in {ProtocolForwardsKey})"),
            };

            var publicPortKey = entry.GetSection("PublicPort");
            ushort publicPort = Port(publicPortKey, 0);
            if (publicPort == 0)
                throw Missing(publicPortKey, "a port number, 1-65535");

            var targetKey = entry.GetSection("Target");
            var (address, port) = ReadEndpoint(targetKey);
            RequireInside(targetKey, address, inside);

            if (claimed.TryGetValue((protocol, publicPort), out string? earlier))
            {
                throw ConfigurationException.ForKey(
                    publicPortKey.Path, $"'{publicPort}': {Name(protocol)} port {publicPort} is already forwarded by {earlier}");
            }

            claimed[(protocol, publicPort)] = entry.Path;
            forwards.Add(new PortForward(protocol, publicPort, address, port));
        }

        return forwards;
    }

    public static List<ProtocolForward> ReadProtocolForwards(IConfigurationSection section, IReadOnlyList<Cidr> inside)
    {
        var forwards = new List<ProtocolForward>();
        var claimed = new Dictionary<byte, string>();
        foreach (var entry in List(section, singleValueAllowed: false))
        {
            RequireKnownKeys(entry, "Protocol", "Target");
            var protocolKey = entry.GetSection("Protocol");
            byte protocol = ReadProtocolNumber(protocolKey);

            var targetKey = entry.GetSection("Target");
            string target = Text(targetKey) ?? throw Missing(targetKey, "an inside IPv4 address, a.b.c.d");
            if (!Ipv4Address.TryParse(target.Trim(), out uint address))
                throw Bad(targetKey, target, "is not an IPv4 address (a.b.c.d)");
            RequireInside(targetKey, address, inside);

            if (claimed.TryGetValue(protocol, out string? earlier))
                throw ConfigurationException.ForKey(protocolKey.Path, $"protocol {protocol} is already forwarded by {earlier}");
            claimed[protocol] = entry.Path;
            forwards.Add(new ProtocolForward(protocol, address));
        }

        return forwards;
    }

    private static byte ReadProtocolNumber(IConfigurationSection key)
    {
        string text = Text(key) ?? throw Missing(key, "an IP protocol number or name, e.g. 47 or gre, 50 or esp");
        if (!ProtocolNames.TryGetValue(text.Trim(), out byte protocol))
        {
            if (!byte.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out protocol))
                throw Bad(key, text, "is not an IP protocol (a number 0-255, or a name: gre, esp, icmp)");
        }

        return protocol switch
        {
            IpProtocol.Tcp or IpProtocol.Udp =>
                throw Bad(key, text, $"is {Name(protocol)}: forward {Name(protocol)} by port with {PortForwardsKey}"),
            IpProtocol.Ah =>
                throw Bad(key, text, "is AH (51), which cannot be masqueraded: it authenticates the IP addresses the gateway rewrites (HOWTO §6.1)"),
            _ => protocol,
        };
    }

    private static (uint Address, ushort Port) ReadEndpoint(IConfigurationSection key)
    {
        string text = Text(key) ?? throw Missing(key, "an inside address and port, a.b.c.d:port");
        int colon = text.LastIndexOf(':');
        if (colon < 0
            || !Ipv4Address.TryParse(text[..colon].Trim(), out uint address)
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port is < 1 or > ushort.MaxValue)
        {
            throw Bad(key, text, "is not an IPv4 address and port (a.b.c.d:port, port 1-65535)");
        }

        return (address, (ushort)port);
    }

    private static void RequireInside(IConfigurationSection key, uint address, IReadOnlyList<Cidr> inside)
    {
        if (!inside.Any(c => c.Contains(address)))
        {
            throw Bad(
                key,
                key.Value ?? "",
                $"is not inside {MasqueradeOptionsBinder.SectionName}:Inside ({string.Join(", ", inside)}); forwards lead to inside hosts only");
        }
    }

    private static string Name(byte protocol) =>
        ProtocolNames.Where(p => p.Value == protocol).Select(p => p.Key).FirstOrDefault() ?? protocol.ToString(CultureInfo.InvariantCulture);
}
