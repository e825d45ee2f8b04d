// The journal's vocabulary keeps one namespace (Events) wherever each protocol's records live.
namespace VpnMasq.Protocols.Masquerade.Events;

/// <summary>
/// An inside party's Call ID was given a masqueraded one, unique towards this peer. The call
/// belongs to the control connection from <paramref name="Inside"/>:<paramref name="InsidePort"/>.
/// </summary>
public sealed record PptpCallMapped(TimeSpan At, uint Inside, ushort InsidePort, ushort CallId, ushort MasqueradedCallId) : PeerEvent(At);

/// <summary>The peer's own Call ID for a mapped call, learned from its reply.</summary>
public sealed record PptpPeerCallIdLearned(TimeSpan At, ushort MasqueradedCallId, ushort PeerCallId) : PeerEvent(At);

public sealed record PptpCallUnmapped(TimeSpan At, ushort MasqueradedCallId, RemovalCause Cause) : PeerEvent(At);
