namespace VpnMasq.Protocols.Masquerade.Events;

/// <summary>An inside host started an ISAKMP/IKE exchange with this peer on UDP 500 (HOWTO §6.1).</summary>
public sealed record IsakmpExchangeStarted(TimeSpan At, uint Inside, ulong InitiatorCookie) : PeerEvent(At);

/// <summary>The first reply named the responder cookie; from now on both cookies must match.</summary>
public sealed record IsakmpResponderLearned(TimeSpan At, ulong InitiatorCookie, ulong ResponderCookie) : PeerEvent(At);

/// <summary>The inside host that most recently spoke ISAKMP with this peer changed.</summary>
public sealed record IsakmpSpeakerChanged(TimeSpan At, uint Inside) : PeerEvent(At);

public sealed record IsakmpExchangeRemoved(TimeSpan At, ulong InitiatorCookie, RemovalCause Cause) : PeerEvent(At);
