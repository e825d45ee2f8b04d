using Microsoft.Extensions.Configuration;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Firewall;
using static VpnMasq.Node.Configuration.SectionValues;

namespace VpnMasq.Node.Configuration;

/// <summary><see cref="MasqueradeOptions"/> bound and validated, with what is allowed but probably wrong.</summary>
internal sealed record MasqueradeBinding(MasqueradeOptions Options, IReadOnlyList<string> Warnings);

/// <summary>
/// Binds the <c>Masquerade</c> section (DESIGN §5.1) and <c>Node:InsideInterface</c> into
/// <see cref="MasqueradeOptions"/>. Every bad value, and every key it does not know under
/// <c>Masquerade</c>, is a <see cref="ConfigurationException"/> naming the full key.
/// </summary>
internal static class MasqueradeOptionsBinder
{
    public const string SectionName = "Masquerade";
    public const string InsideInterfaceKey = "Node:InsideInterface";
    public const string AutoPublicAddress = "auto";

    private static readonly string[] TopLevelKeys =
        ["Inside", "Routed", "PublicAddress", "Esp", "Isakmp", "Ports", "Limits", "PortForwards", "ProtocolForwards", "Rules"];

    /// <summary>Binds and validates; warnings are dropped (use <see cref="BindWithWarnings"/> to show them).</summary>
    /// <param name="defaultPublicAddress">
    /// Used when <c>Masquerade:PublicAddress</c> is absent; when null as well, the key is required.
    /// </param>
    public static MasqueradeOptions Bind(IConfiguration configuration, uint? defaultPublicAddress = null) =>
        BindWithWarnings(configuration, defaultPublicAddress).Options;

    public static MasqueradeBinding BindWithWarnings(IConfiguration configuration, uint? defaultPublicAddress = null)
    {
        var root = configuration.GetSection(SectionName);
        RequireKnownKeys(root, TopLevelKeys);
        var defaults = new MasqueradeOptions();

        var inside = ReadInside(root);
        var (publicAddress, auto) = ReadPublicAddress(root.GetSection("PublicAddress"), inside, defaultPublicAddress);
        var options = defaults with
        {
            Inside = inside,
            Routed = ReadRouted(root.GetSection("Routed"), inside),
            PublicAddress = publicAddress,
            PublicAddressAuto = auto,
            Esp = ReadEsp(root.GetSection("Esp"), defaults.Esp),
            Isakmp = ReadIsakmp(root.GetSection("Isakmp"), defaults.Isakmp),
            Ports = ReadPorts(root.GetSection("Ports"), defaults.Ports),
            Limits = ReadLimits(root.GetSection("Limits"), defaults.Limits),
            PortForwards = ForwardBinder.ReadPortForwards(root.GetSection("PortForwards"), inside),
            ProtocolForwards = ForwardBinder.ReadProtocolForwards(root.GetSection("ProtocolForwards"), inside),
            Rules = ReadRules(root.GetSection("Rules")),
            InsideInterface = ReadInsideInterface(configuration.GetSection(InsideInterfaceKey), defaults.InsideInterface),
        };

        var warnings = new List<string>();
        if (options.Isakmp.Lifetime < options.Esp.TableLifetime)
        {
            // DESIGN §3.2: ISAKMP mappings live at least as long as the ESP table, or a rekey the remote starts
            // after the ISAKMP mapping expired cannot reach the inside host and the tunnel dies (HOWTO §5.7).
            warnings.Add(
                $"{SectionName}:Isakmp:Lifetime ({options.Isakmp.Lifetime:c}) is shorter than {SectionName}:Esp:TableLifetime " +
                $"({options.Esp.TableLifetime:c}); raised to {options.Esp.TableLifetime:c}, so a rekey the remote starts later " +
                "still reaches the inside host (HOWTO §5.7)");
            options = options with { Isakmp = options.Isakmp with { Lifetime = options.Esp.TableLifetime } };
        }

        if (options.Routed.Count > 0 && options.Rules.Count == 0)
        {
            // Routed addresses are reachable only as the forward chain ACCEPTs; with no rules nothing accepts them.
            warnings.Add(
                $"{SectionName}:Routed lists addresses but {SectionName}:Rules is empty, so nothing from outside reaches them; " +
                "add forward rules that accept them, e.g. \"-A forward -j ACCEPT -d 222.0.0.2/32\"");
        }

        return new MasqueradeBinding(options, warnings);
    }

    private static List<Cidr> ReadInside(IConfigurationSection root)
    {
        var section = root.GetSection("Inside");
        var entries = List(section, singleValueAllowed: true);
        if (entries.Count == 0)
        {
            // Absent: the default. Present but empty ("Inside": [] or an empty variable): nothing would be inside.
            if (root.GetChildren().Any(c => string.Equals(c.Key, "Inside", StringComparison.OrdinalIgnoreCase)))
                throw ConfigurationException.ForKey(section.Path, "is empty; at least one IPv4 CIDR (a.b.c.d/n) is required");
            return [.. new MasqueradeOptions().Inside];
        }

        var inside = new List<Cidr>();
        foreach (var entry in entries)
        {
            string text = Text(entry) ?? "";
            if (!Cidr.TryParse(text, out var cidr))
                throw Bad(entry, text, "is not an IPv4 CIDR (a.b.c.d/n)");
            inside.Add(new Cidr(cidr.Network & cidr.Mask, cidr.PrefixLength));
        }

        return inside;
    }

    /// <summary>Registered inside addresses routed unchanged (HOWTO §3.9/§3.10); each must lie inside an Inside network.</summary>
    private static List<Cidr> ReadRouted(IConfigurationSection section, IReadOnlyList<Cidr> inside)
    {
        var routed = new List<Cidr>();
        foreach (var entry in List(section, singleValueAllowed: true))
        {
            string text = Text(entry) ?? "";
            string trimmed = text.Trim();
            if (!Cidr.TryParse(trimmed.Contains('/', StringComparison.Ordinal) ? trimmed : trimmed + "/32", out var cidr))
                throw Bad(entry, text, "is not an IPv4 address or CIDR (a.b.c.d or a.b.c.d/n)");
            var network = new Cidr(cidr.Network & cidr.Mask, cidr.PrefixLength);
            if (!inside.Any(i => i.Contains(network.Network) && i.PrefixLength <= network.PrefixLength))
                throw Bad(entry, text, "is not inside any Masquerade:Inside network; only inside hosts can be routed");
            routed.Add(network);
        }

        return routed;
    }

    private static (uint Address, bool Auto) ReadPublicAddress(IConfigurationSection section, IReadOnlyList<Cidr> inside, uint? fallback)
    {
        if (Text(section) is not { } text)
        {
            return fallback is { } address
                ? (address, false)
                : throw Missing(section, $"an IPv4 address, or \"{AutoPublicAddress}\" to follow the outside interface");
        }

        if (string.Equals(text.Trim(), AutoPublicAddress, StringComparison.OrdinalIgnoreCase))
            return (0, true);
        if (!Ipv4Address.TryParse(text.Trim(), out uint parsed))
            throw Bad(section, text, $"is not an IPv4 address (a.b.c.d) or \"{AutoPublicAddress}\"");
        if (parsed == 0 || parsed >= 0xE000_0000)
            throw Bad(section, text, "is not a unicast address");
        foreach (var cidr in inside)
        {
            // Replay and the ingress router tell directions apart by Inside; the public address must not blur that.
            if (cidr.Contains(parsed))
                throw Bad(section, text, $"lies inside {SectionName}:Inside ({cidr}); the public address must be outside the inside networks");
        }

        return (parsed, false);
    }

    private static EspOptions ReadEsp(IConfigurationSection section, EspOptions defaults)
    {
        RequireKnownKeys(section, "TableLifetime", "InitLifetime", "InitRetries", "ParallelSessions");
        return new EspOptions
        {
            TableLifetime = PositiveDuration(section.GetSection("TableLifetime"), defaults.TableLifetime),
            InitLifetime = PositiveDuration(section.GetSection("InitLifetime"), defaults.InitLifetime),
            InitRetries = Integer(section.GetSection("InitRetries"), defaults.InitRetries, minimum: 0),
            ParallelSessions = Boolean(section.GetSection("ParallelSessions"), defaults.ParallelSessions),
        };
    }

    private static IsakmpOptions ReadIsakmp(IConfigurationSection section, IsakmpOptions defaults)
    {
        RequireKnownKeys(section, "Lifetime");
        return new IsakmpOptions { Lifetime = PositiveDuration(section.GetSection("Lifetime"), defaults.Lifetime) };
    }

    private static PortOptions ReadPorts(IConfigurationSection section, PortOptions defaults)
    {
        RequireKnownKeys(
            section,
            "TcpEstablishedLifetime", "TcpTransitoryLifetime", "TcpClosingLifetime", "UdpLifetime", "IcmpLifetime", "FirstPort", "LastPort");
        var ports = new PortOptions
        {
            TcpEstablishedLifetime = PositiveDuration(section.GetSection("TcpEstablishedLifetime"), defaults.TcpEstablishedLifetime),
            TcpTransitoryLifetime = PositiveDuration(section.GetSection("TcpTransitoryLifetime"), defaults.TcpTransitoryLifetime),
            TcpClosingLifetime = PositiveDuration(section.GetSection("TcpClosingLifetime"), defaults.TcpClosingLifetime),
            UdpLifetime = PositiveDuration(section.GetSection("UdpLifetime"), defaults.UdpLifetime),
            IcmpLifetime = PositiveDuration(section.GetSection("IcmpLifetime"), defaults.IcmpLifetime),
            FirstPort = Port(section.GetSection("FirstPort"), defaults.FirstPort),
            LastPort = Port(section.GetSection("LastPort"), defaults.LastPort),
        };
        if (ports.FirstPort > ports.LastPort)
        {
            throw ConfigurationException.ForKey(
                section.GetSection("FirstPort").Path,
                $"'{ports.FirstPort}' is above {section.Path}:LastPort ({ports.LastPort}); the range would be empty");
        }

        return ports;
    }

    private static LimitOptions ReadLimits(IConfigurationSection section, LimitOptions defaults)
    {
        RequireKnownKeys(section, "EntriesPerPeer", "Peers", "FragmentTrains", "FragmentTimeout", "Mtu");
        return new LimitOptions
        {
            EntriesPerPeer = Integer(section.GetSection("EntriesPerPeer"), defaults.EntriesPerPeer, minimum: 1),
            Peers = Integer(section.GetSection("Peers"), defaults.Peers, minimum: 1),
            FragmentTrains = Integer(section.GetSection("FragmentTrains"), defaults.FragmentTrains, minimum: 1),
            FragmentTimeout = PositiveDuration(section.GetSection("FragmentTimeout"), defaults.FragmentTimeout),
            // 576 is the datagram size every IPv4 host must accept (RFC 791).
            Mtu = Integer(section.GetSection("Mtu"), defaults.Mtu, minimum: 576, maximum: ushort.MaxValue),
        };
    }

    private static List<string> ReadRules(IConfigurationSection section)
    {
        var rules = new List<string>();
        foreach (var entry in List(section, singleValueAllowed: true))
        {
            string text = Text(entry) ?? "";
            if (string.IsNullOrWhiteSpace(text))
                throw Bad(entry, text, "is an empty rule");

            // Checked here, line by line, so the error names the entry's key rather than a line of the joined list.
            if (!FirewallRules.TryParse([text], FirewallRules.DefaultInsideInterface, out _, out var error))
                throw Bad(entry, text, "is not a rule this firewall reads: " + error.Replace("line 1: ", "", StringComparison.Ordinal));
            rules.Add(text);
        }

        return rules;
    }

    private static string ReadInsideInterface(IConfigurationSection section, string fallback)
    {
        if (Text(section) is not { } text)
            return fallback;
        return string.IsNullOrWhiteSpace(text) ? throw Bad(section, text, "is not an interface name") : text.Trim();
    }
}
