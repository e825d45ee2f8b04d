using System.Collections.Immutable;

namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>An inclusive port range, "1024:65535"; a single port is a range of one.</summary>
public readonly record struct PortRange(ushort First, ushort Last)
{
    public bool Contains(ushort value) => value >= First && value <= Last;

    public override string ToString() => First == Last ? $"{First}" : $"{First}:{Last}";
}

/// <summary>
/// The ports a rule names after an address: one port or range for ipchains, several for ipfwadm,
/// optionally negated. For ICMP rules the source "port" is the ICMP type, as both tools have it.
/// <c>default</c> matches any port.
/// </summary>
public readonly struct PortMatch
{
    public PortMatch(ImmutableArray<PortRange> ranges, bool negated = false)
    {
        Ranges = ranges;
        Negated = negated;
    }

    public static PortMatch Any => default;

    public ImmutableArray<PortRange> Ranges { get; }
    public bool Negated { get; }
    public bool IsAny => Ranges.IsDefaultOrEmpty;

    public bool Matches(ushort value)
    {
        if (Ranges.IsDefaultOrEmpty)
            return true;
        foreach (var range in Ranges)
        {
            if (range.Contains(value))
                return !Negated;
        }

        return Negated;
    }

    public override string ToString() => IsAny ? "any" : (Negated ? "! " : "") + string.Join(',', Ranges);
}
