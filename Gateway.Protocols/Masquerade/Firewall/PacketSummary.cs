namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>
/// The fields of a packet the firewall matches on. Addresses are host-order (see <c>Ipv4Address</c>);
/// ports are meaningful for TCP and UDP, <see cref="IcmpType"/> for ICMP, and both are ignored otherwise.
/// </summary>
public readonly record struct PacketSummary(
    byte Protocol,
    uint Source,
    uint Destination,
    ushort SourcePort,
    ushort DestinationPort,
    byte IcmpType);
