namespace VpnMasq.Cli;

// The node's /table and /members JSON, one record per object (Gateway.Node/Live/PeerTableView.cs writes it):
// addresses dotted, SPIs and cookies already in hex. A missing list reads as null and renders as empty.

internal sealed record PeerView(
    string Peer,
    string Owner,
    IReadOnlyList<PortView>? Ports,
    IReadOnlyList<IcmpView>? Icmp,
    IReadOnlyList<IsakmpView>? Isakmp,
    IReadOnlyList<EspView>? Esp,
    IReadOnlyList<PptpView>? Pptp);

/// <summary>A TCP or UDP mapping; <see cref="Inside"/> is <c>host:port</c>, <see cref="State"/> is null for UDP.</summary>
internal sealed record PortView(string Protocol, string Inside, int PublicPort, int RemotePort, string? State, bool ViaForward);

internal sealed record IcmpView(string Inside, int Id, int PublicId);

internal sealed record IsakmpView(string Inside, string InitiatorCookie, string ResponderCookie, int? PublicPort = null);

/// <summary>An SA pair; while <see cref="Outstanding"/> the inbound SPI is not known yet.</summary>
internal sealed record EspView(string Inside, string OutboundSpi, string InboundSpi, bool Outstanding);

/// <summary>A PPTP call; <see cref="PeerCallId"/> is null until the peer's reply names it (0 is a valid Call ID).</summary>
internal sealed record PptpView(string Inside, int CallId, int MasqueradedCallId, int? PeerCallId);

/// <summary>A cluster member from /members: its Akka address and membership status (Up, Leaving, …).</summary>
internal sealed record MemberView(string Address, string Status);
