using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>
/// One rule of one chain, as "-A forward -j MASQ -p 50 -s 10.0.0.2/32 -d 199.0.0.1/32 -i eth1" reads.
/// Unset parts match anything. Ports belong to TCP and UDP rules; an ICMP rule's source "port" is the ICMP type.
/// </summary>
public sealed class FirewallRule
{
    public required FirewallChain Chain { get; init; }
    public required FirewallAction Action { get; init; }

    /// <summary>The IP protocol number, or null for all protocols ("-p all", "-P all", or none given).</summary>
    public byte? Protocol { get; init; }
    public AddressMatch Source { get; init; }
    public PortMatch SourcePorts { get; init; }
    public AddressMatch Destination { get; init; }
    public PortMatch DestinationPorts { get; init; }

    /// <summary>
    /// The interface name ("eth1", "ppp0", "ppp+"), or null for any. The firewall only knows two sides:
    /// the configured inside interface name is the inside, every other name the outside.
    /// </summary>
    public string? Interface { get; init; }

    /// <summary>
    /// ipfwadm's "-V address" (the interface's own address). It is checked for syntax and kept for
    /// listings, but never matched: <see cref="Interface"/> already names the side, and every HOWTO
    /// rule that gives -V also gives -W.
    /// </summary>
    public uint? InterfaceAddress { get; init; }

    /// <summary>The configuration line the rule came from, for listings and traces.</summary>
    public string Text { get; init; } = "";

    /// <summary>Whether the packet matches protocol, addresses and ports (the interface is the rule set's business).</summary>
    public bool Matches(in PacketSummary packet)
    {
        if (Protocol is byte protocol && protocol != packet.Protocol)
            return false;
        if (!Source.Matches(packet.Source) || !Destination.Matches(packet.Destination))
            return false;
        if (Protocol == IpProtocol.Icmp)
            return SourcePorts.Matches(packet.IcmpType);
        return SourcePorts.Matches(packet.SourcePort) && DestinationPorts.Matches(packet.DestinationPort);
    }

    /// <summary>Why this rule cannot be in a chain, or null when it can.</summary>
    internal string? Problem()
    {
        if (Action == FirewallAction.Masq && Chain != FirewallChain.Forward)
            return "MASQ (masquerade) is only valid in the forward chain";
        bool hasPorts = !SourcePorts.IsAny || !DestinationPorts.IsAny;
        if (hasPorts && Protocol is not (IpProtocol.Tcp or IpProtocol.Udp or IpProtocol.Icmp))
            return "ports need protocol tcp or udp (or icmp, where the source port is the ICMP type)";
        if (Protocol == IpProtocol.Icmp && !DestinationPorts.IsAny)
            return "ICMP codes (a port after the destination of an icmp rule) are not supported";
        return null;
    }

    public override string ToString() => Text.Length > 0 ? Text : $"{Chain} {Action}";
}
