// The journal's vocabulary keeps one namespace (Events) wherever each protocol's records live.
namespace VpnMasq.Protocols.Masquerade.Events;

/// <summary>An ICMP query mapping: inside host + identifier &lt;-&gt; public identifier.</summary>
public sealed record IcmpMapped(TimeSpan At, uint Inside, ushort InsideId, ushort PublicId) : PeerEvent(At);

public sealed record IcmpUnmapped(TimeSpan At, ushort PublicId, RemovalCause Cause) : PeerEvent(At);
