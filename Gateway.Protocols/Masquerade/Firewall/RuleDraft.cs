using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>A rule being read from one line, in either dialect; <see cref="TryBuild"/> checks it as a whole.</summary>
internal sealed class RuleDraft
{
    private readonly RuleTokens _tokens;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private FirewallAction? _action;
    private string _actionToken = "";
    private byte? _protocol;
    private AddressMatch _source;
    private AddressMatch _destination;
    private List<string>? _sourcePorts;
    private List<string>? _destinationPorts;
    private bool _sourcePortsNegated;
    private bool _destinationPortsNegated;
    private string? _interface;
    private uint? _interfaceAddress;

    public RuleDraft(RuleTokens tokens) => _tokens = tokens;

    public bool HasRuleOptions => _seen.Count > 0;

    public bool TrySetAction(string token, FirewallAction action)
    {
        if (_action is not null)
            return _tokens.Fail(token, "target given twice");
        _action = action;
        _actionToken = token;
        return true;
    }

    /// <summary>ipfwadm's "-m": the accept policy of a forward rule becomes masquerade.</summary>
    public bool TryMasquerade(string token)
    {
        if (_action != FirewallAction.Accept)
            return _tokens.Fail(token, "-m (masquerade) needs -a accept");
        _action = FirewallAction.Masq;
        _actionToken = token;
        return true;
    }

    public bool TryReadProtocol(string option)
    {
        if (!Once("protocol", option))
            return false;
        if (_tokens.TakeNegation())
            return _tokens.Fail("!", "negated protocols are not supported");
        if (!_tokens.TryTakeValue(option, "a protocol", out var text))
            return false;
        return RuleValues.TryProtocol(text, out _protocol) ||
            _tokens.Fail(text, "unknown protocol (expected tcp, udp, icmp, all or a number 0-255)");
    }

    /// <summary>"-s [!] address [[!] port…]": one port or range for ipchains, several for ipfwadm.</summary>
    public bool TryReadEndpoint(string option, bool isSource, bool severalPorts)
    {
        if (!Once(isSource ? "source" : "destination", option))
            return false;
        bool negated = _tokens.TakeNegation();
        if (!_tokens.TryTakeValue(option, "an address", out var text))
            return false;
        if (!RuleValues.TryAddress(text, negated, out var address))
            return _tokens.Fail(text, $"bad address ({RuleValues.AddressForms})");
        if (isSource)
            _source = address;
        else
            _destination = address;
        // Whatever word follows the address (a port, or "!" and a port) is its port list.
        return !_tokens.NextIsValue || TryReadPorts(option, isSource, severalPorts);
    }

    /// <summary>"--sport [!] port" / "--dport [!] port".</summary>
    public bool TryReadPorts(string option, bool isSource, bool severalPorts)
    {
        if (!Once(isSource ? "source port" : "destination port", option))
            return false;
        bool negated = _tokens.TakeNegation();
        var ports = new List<string>();
        while (_tokens.NextIsValue && (severalPorts || ports.Count == 0))
            ports.Add(_tokens.Take());
        if (ports.Count == 0)
            return _tokens.Fail(negated ? "!" : option, $"missing port after {(negated ? "!" : option)}");
        if (isSource)
            (_sourcePorts, _sourcePortsNegated) = (ports, negated);
        else
            (_destinationPorts, _destinationPortsNegated) = (ports, negated);
        return true;
    }

    public bool TryReadInterface(string option)
    {
        if (!Once("interface", option))
            return false;
        if (_tokens.TakeNegation())
            return _tokens.Fail("!", "negated interfaces are not supported");
        if (!_tokens.TryTakeValue(option, "an interface name", out var name))
            return false;
        _interface = name;
        return RuleValues.IsInterfaceName(name) || _tokens.Fail(name, "bad interface name");
    }

    public bool TryReadInterfaceAddress(string option)
    {
        if (!Once("interface address", option) || !_tokens.TryTakeValue(option, "an address", out var text))
            return false;
        if (!Ipv4Address.TryParse(text, out uint address))
            return _tokens.Fail(text, "bad interface address (expected a.b.c.d)");
        _interfaceAddress = address;
        return true;
    }

    public bool TryBuild(FirewallChain chain, string chainToken, string text, [NotNullWhen(true)] out FirewallRule? rule)
    {
        rule = null;
        if (_action is not FirewallAction action)
            return _tokens.Fail(chainToken, "rule has no target (-j ACCEPT|DENY|REJECT|MASQ, or ipfwadm -a POLICY)");
        if (action == FirewallAction.Masq && chain != FirewallChain.Forward)
            return _tokens.Fail(_actionToken, "masquerade is only valid in the forward chain");
        if (!TryPorts(_sourcePorts, _sourcePortsNegated, isSource: true, out var sourcePorts) ||
            !TryPorts(_destinationPorts, _destinationPortsNegated, isSource: false, out var destinationPorts))
        {
            return false;
        }

        rule = new FirewallRule
        {
            Chain = chain,
            Action = action,
            Protocol = _protocol,
            Source = _source,
            SourcePorts = sourcePorts,
            Destination = _destination,
            DestinationPorts = destinationPorts,
            Interface = _interface,
            InterfaceAddress = _interfaceAddress,
            Text = text.Trim(),
        };
        return rule.Problem() is not string problem || _tokens.Fail(text.Trim(), problem);
    }

    private bool TryPorts(List<string>? tokens, bool negated, bool isSource, out PortMatch ports)
    {
        ports = default;
        if (tokens is null)
            return true;
        bool icmp = _protocol == IpProtocol.Icmp;
        if (_protocol is not (IpProtocol.Tcp or IpProtocol.Udp or IpProtocol.Icmp))
            return _tokens.Fail(tokens[0], "ports need protocol tcp or udp (or icmp, where the source port is the ICMP type)");
        if (icmp && !isSource)
            return _tokens.Fail(tokens[0], "ICMP codes (a port after the destination of an icmp rule) are not supported");
        var ranges = ImmutableArray.CreateBuilder<PortRange>(tokens.Count);
        foreach (var token in tokens)
        {
            if (!RuleValues.TryPortRange(token, icmp, out var range))
                return _tokens.Fail(token, icmp ? "bad ICMP type (0-255 or a name like echo-request)" : "bad port or port range (0-65535, first:last)");
            ranges.Add(range);
        }

        ports = new PortMatch(ranges.MoveToImmutable(), negated);
        return true;
    }

    private bool Once(string what, string token) =>
        _seen.Add(what) || _tokens.Fail(token, $"{what} given twice");
}
