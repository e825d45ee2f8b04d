using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Actors.Flows;

/// <summary>One peer's established flows as replicated between nodes (a value of the flow table).</summary>
internal sealed record PeerFlows(IReadOnlyList<EstablishedFlow> Flows)
{
    public bool Equals(PeerFlows? other) => other is not null && Flows.SequenceEqual(other.Flows);

    public override int GetHashCode() => Flows.Count;
}
