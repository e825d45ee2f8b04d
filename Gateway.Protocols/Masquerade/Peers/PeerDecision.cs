using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Pptp;

namespace VpnMasq.Protocols.Masquerade.Peers;

/// <summary>
/// What a peer decided, as a value: the verdict for the frame, the events that change its table, the flows the frame
/// kept alive (last-seen only, never journaled) and, for a PPTP control segment, where its stream reader now stands.
/// Deciding changes nothing; <see cref="PeerState.Apply(PeerDecision)"/> does, so an owner journals the events first
/// and applies them after, and "applied but not persisted" cannot happen.
/// </summary>
public sealed record PeerDecision(
    Verdict Verdict,
    IReadOnlyList<PeerEvent> Events,
    IReadOnlyList<EstablishedFlow> Seen,
    TimeSpan At)
{
    internal PptpStreamUpdate? Stream { get; init; }

    /// <summary>A frame was decided: the peer was active at <see cref="At"/> whatever the verdict (sweeps and announcements are not activity).</summary>
    public bool FrameSeen { get; init; }

    /// <summary>Nothing to journal: the decision changes last-seen times at most.</summary>
    public bool IsQuiet => Events.Count == 0;
}
