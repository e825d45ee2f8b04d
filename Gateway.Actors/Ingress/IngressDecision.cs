using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Actors.Ingress;

/// <summary>Where a decision was made: by the gateway front alone, from this node's flow cache, or by the peer's owner.</summary>
public enum DecisionSource : byte
{
    Front,
    FlowCache,
    Owner,
}

/// <summary>The verdict for one captured frame (rewritten in place, plus <see cref="Verdict.Extra"/>) and where it came from.</summary>
public readonly record struct IngressDecision(Verdict Verdict, Direction Direction, DecisionSource Source, string? Owner);
