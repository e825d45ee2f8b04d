using System.Globalization;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>The words inside a rule: chain names, targets, protocols, addresses, ports, interfaces.</summary>
internal static class RuleValues
{
    public const string AddressForms = "expected a.b.c.d, a.b.c.d/n or a.b.c.d/m.m.m.m";

    // ipchains' own ICMP type names (ipchains.c icmp_codes), types only.
    private static readonly Dictionary<string, byte> IcmpTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["echo-reply"] = 0,
        ["pong"] = 0,
        ["destination-unreachable"] = 3,
        ["source-quench"] = 4,
        ["redirect"] = 5,
        ["echo-request"] = 8,
        ["ping"] = 8,
        ["router-advertisement"] = 9,
        ["router-solicitation"] = 10,
        ["time-exceeded"] = 11,
        ["parameter-problem"] = 12,
        ["timestamp-request"] = 13,
        ["timestamp-reply"] = 14,
        ["address-mask-request"] = 17,
        ["address-mask-reply"] = 18,
    };

    public static bool TryChain(string text, out FirewallChain chain)
    {
        chain = default;
        if (text.Equals("input", StringComparison.OrdinalIgnoreCase))
            chain = FirewallChain.Input;
        else if (text.Equals("forward", StringComparison.OrdinalIgnoreCase))
            chain = FirewallChain.Forward;
        else if (text.Equals("output", StringComparison.OrdinalIgnoreCase))
            chain = FirewallChain.Output;
        else
            return false;
        return true;
    }

    /// <summary>ipchains targets and policies: ACCEPT, DENY, REJECT, MASQ (any case).</summary>
    public static bool TryIpchainsTarget(string text, out FirewallAction action) =>
        TryAction(text, "MASQ", out action);

    /// <summary>ipfwadm policies: accept, deny, reject, masquerade (any case; "masq" too).</summary>
    public static bool TryIpfwadmPolicy(string text, out FirewallAction action) =>
        TryAction(text, "masquerade", out action) || TryAction(text, "masq", out action);

    /// <summary>A protocol name (all, tcp, udp, icmp, gre, esp, ah) or number 0-255; null means all, as 0 does for ipchains.</summary>
    public static bool TryProtocol(string text, out byte? protocol)
    {
        protocol = text.ToLowerInvariant() switch
        {
            "all" => 0,
            "tcp" => IpProtocol.Tcp,
            "udp" => IpProtocol.Udp,
            "icmp" => IpProtocol.Icmp,
            "gre" => IpProtocol.Gre,
            "esp" => IpProtocol.Esp,
            "ah" => IpProtocol.Ah,
            _ => byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out byte number) ? number : null,
        };
        if (protocol is null)
            return false;
        if (protocol == 0)
            protocol = null;
        return true;
    }

    /// <summary>An address as Cidr reads it, "0/0" as ipchains allows, and an optional leading "!".</summary>
    public static bool TryAddress(string text, bool negated, out AddressMatch address)
    {
        if (text.StartsWith('!'))
        {
            negated = !negated;
            text = text[1..];
        }

        address = default;
        if (text == "0/0")
        {
            address = new AddressMatch(Cidr.Any, negated);
            return true;
        }

        if (!Cidr.TryParse(text, out var cidr))
            return false;
        address = new AddressMatch(cidr, negated);
        return true;
    }

    /// <summary>"port", "first:last", ":last" (from 0), "first:" (to the top); for ICMP also a type name.</summary>
    public static bool TryPortRange(string text, bool icmp, out PortRange range)
    {
        range = default;
        ushort top = icmp ? byte.MaxValue : ushort.MaxValue;
        if (icmp && IcmpTypes.TryGetValue(text, out byte type))
        {
            range = new PortRange(type, type);
            return true;
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            if (!TryPort(text, top, out ushort port))
                return false;
            range = new PortRange(port, port);
            return true;
        }

        ushort first = 0, last = top;
        if ((colon > 0 && !TryPort(text[..colon], top, out first)) ||
            (colon < text.Length - 1 && !TryPort(text[(colon + 1)..], top, out last)) ||
            first > last)
        {
            return false;
        }

        range = new PortRange(first, last);
        return true;
    }

    /// <summary>Linux interface names: 1-15 characters, no blanks or '/', '+' only as the trailing wildcard.</summary>
    public static bool IsInterfaceName(string text)
    {
        if (text.Length is 0 or > 15 || text == "+")
            return false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c) || c == '/' || (c == '+' && i != text.Length - 1))
                return false;
        }

        return true;
    }

    private static bool TryPort(string text, ushort top, out ushort port) =>
        ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= top;

    private static bool TryAction(string text, string masqueradeWord, out FirewallAction action)
    {
        action = default;
        if (text.Equals("accept", StringComparison.OrdinalIgnoreCase))
            action = FirewallAction.Accept;
        else if (text.Equals("deny", StringComparison.OrdinalIgnoreCase))
            action = FirewallAction.Deny;
        else if (text.Equals("reject", StringComparison.OrdinalIgnoreCase))
            action = FirewallAction.Reject;
        else if (text.Equals(masqueradeWord, StringComparison.OrdinalIgnoreCase))
            action = FirewallAction.Masq;
        else
            return false;
        return true;
    }
}
