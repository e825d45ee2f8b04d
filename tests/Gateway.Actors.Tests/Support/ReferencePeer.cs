using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Support;

/// <summary>One frame for a peer: its bytes as captured, which way it crosses, and its frame time.</summary>
internal readonly record struct TrafficFrame(byte[] Frame, Direction Direction, TimeSpan At);

/// <summary>
/// A pure <see cref="PeerState"/> with no Akka around it, fed the same frames as the actor under test: the
/// reference for verdicts, rewritten bytes, journaled events and tables.
/// </summary>
internal sealed class ReferencePeer(MasqueradeSettings settings, uint remote = 0)
{
    public PeerState State { get; } = new(remote == 0 ? Remote : remote, settings.Options);

    /// <summary>Every event, in order, as the journal should hold them.</summary>
    public List<PeerEvent> Events { get; } = [];

    /// <summary>How many events each frame emitted (each frame's events are journaled as one batch).</summary>
    public List<int> Batches { get; } = [];

    /// <summary>Decides a copy of the frame; returns the verdict and the frame as rewritten.</summary>
    public (Verdict Verdict, byte[] Frame) Decide(TrafficFrame traffic)
    {
        var frame = traffic.Frame.ToArray();
        var events = new List<PeerEvent>();
        var verdict = State.Handle(frame, Dissect(frame), traffic.Direction, settings, traffic.At, events);
        Events.AddRange(events);
        Batches.Add(events.Count);
        return (verdict, frame);
    }
}
