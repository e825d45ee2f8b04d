using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.TestSupport;

/// <summary>Decide-then-apply in one call, as an owner does once the events are journaled, for tests that drive one peer.</summary>
public static class PeerStateTesting
{
    public static Verdict Handle(this PeerState peer, byte[] frame, in Dissection d, Direction direction, MasqueradeSettings settings, TimeSpan now,
        List<PeerEvent> events)
    {
        var decision = peer.Decide(frame, d, direction, settings, now);
        peer.Apply(decision);
        events.AddRange(decision.Events);
        return decision.Verdict;
    }

    public static void Sweep(this PeerState peer, MasqueradeSettings settings, TimeSpan now, List<PeerEvent> events)
    {
        var decision = peer.Sweep(settings, now);
        peer.Apply(decision);
        events.AddRange(decision.Events);
    }

    public static DropReason Announce(this PeerState peer, uint inside, uint outboundSpi, uint inboundSpi, MasqueradeSettings settings, TimeSpan now,
        List<PeerEvent> events)
    {
        var decision = peer.Announce(inside, outboundSpi, inboundSpi, settings, now);
        peer.Apply(decision);
        events.AddRange(decision.Events);
        return decision.Verdict.Reason;
    }
}
