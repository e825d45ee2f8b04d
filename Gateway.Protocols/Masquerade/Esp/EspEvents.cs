// The journal's vocabulary keeps one namespace (Events) wherever each protocol's records live.
namespace VpnMasq.Protocols.Masquerade.Events;

/// <summary>An initial ESP packet was sent: the entry is outstanding until a reply names its inbound SPI (HOWTO §6.2).</summary>
public sealed record EspInitStarted(TimeSpan At, uint Inside, uint OutboundSpi) : PeerEvent(At);

/// <summary>Another initial packet was blocked by the outstanding entry; its host waits for a turn.</summary>
public sealed record EspInitBlocked(TimeSpan At, uint Inside, uint OutboundSpi) : PeerEvent(At);

/// <summary>The outstanding entry's host sent another packet without a reply after a collision.</summary>
public sealed record EspInitRetried(TimeSpan At, uint Inside, uint OutboundSpi) : PeerEvent(At);

/// <summary>An inbound SPI was associated with an entry (reply to an initial packet, or announced).</summary>
public sealed record EspSpiAssociated(TimeSpan At, uint Inside, uint OutboundSpi, uint InboundSpi, bool Announced) : PeerEvent(At);

public sealed record EspEntryRemoved(TimeSpan At, uint Inside, uint OutboundSpi, RemovalCause Cause) : PeerEvent(At);
