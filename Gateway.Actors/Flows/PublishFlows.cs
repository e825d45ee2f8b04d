using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Actors.Flows;

/// <summary>An owner's current established flows for <paramref name="Peer"/>; an empty list retracts them.</summary>
internal sealed record PublishFlows(uint Peer, IReadOnlyList<EstablishedFlow> Flows);
