// The journal's vocabulary keeps one namespace (Events) wherever each protocol's records live.
namespace VpnMasq.Protocols.Masquerade.Events;

/// <summary>An inside host started an ISAKMP/IKE exchange with this peer on UDP 500 (HOWTO §6.1).</summary>
public sealed record IsakmpExchangeStarted(TimeSpan At, uint Inside, ulong InitiatorCookie) : PeerEvent(At);

/// <summary>The first reply named the responder cookie; from now on both cookies must match.</summary>
public sealed record IsakmpResponderLearned(TimeSpan At, ulong InitiatorCookie, ulong ResponderCookie) : PeerEvent(At);

/// <summary>The inside host that most recently spoke ISAKMP with this peer changed.</summary>
public sealed record IsakmpSpeakerChanged(TimeSpan At, uint Inside) : PeerEvent(At);

/// <summary>
/// Exchanges with this initiator cookie left the table: only <paramref name="Inside"/>'s when it is set,
/// every host's when it is 0. Two hosts may share an initiator cookie once each has its responder cookie
/// (DESIGN §3.2), so one host's expired exchange must not take the other's with it.
/// </summary>
public sealed record IsakmpExchangeRemoved(TimeSpan At, ulong InitiatorCookie, RemovalCause Cause, uint Inside = 0) : PeerEvent(At);
