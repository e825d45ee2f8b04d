using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Snapshots;

namespace VpnMasq.Actors.Peers;

/// <summary>A message for the <see cref="PeerActor"/> of one remote peer; the shard region routes it by <see cref="Peer"/>.</summary>
internal interface IPeerCommand
{
    uint Peer { get; }
}

/// <summary>
/// Decide one frame (the whole datagram, after reassembly) at frame time <paramref name="At"/>, with the
/// <paramref name="Dissection"/> the asking node took of it as captured (the owner does not parse it again).
/// Answered with <see cref="FrameDecided"/>. A frame still undecided at <paramref name="AnswerBy"/> was dropped
/// by the node that asked, so the owner must not act on it: state for a frame that never left would be a table
/// entry nobody's traffic matches (an ESP init never sent). <paramref name="AnswerBy"/> is on this process's
/// monotonic clock; between nodes it travels as the time left, so no node's wall clock is read on another.
/// </summary>
internal sealed record DecideFrame(uint Peer, byte[] Frame, Dissection Dissection, Direction Direction, TimeSpan At, Deadline? AnswerBy = null) : IPeerCommand;

/// <summary>
/// The owner's verdict and the frame as it rewrote it (same length as sent). <paramref name="Owner"/>
/// is the cluster address of the node that decided, so operators can see where each peer lives.
/// </summary>
internal sealed record FrameDecided(Verdict Verdict, byte[] Frame, string Owner);

/// <summary>Flow caches translated frames of these flows: keep them alive. Not answered.</summary>
internal sealed record ReportActivity(uint Peer, IReadOnlyList<FlowSeen> Flows) : IPeerCommand;

internal readonly record struct FlowSeen(EstablishedFlow Flow, TimeSpan At);

/// <summary>Expire what has outlived its lifetime at frame time <paramref name="Now"/> (replay drives this; live nodes use a timer).</summary>
public sealed record SweepPeer(uint Peer, TimeSpan Now) : IPeerCommand;

/// <summary>Answered with <see cref="PeerTable"/> once the peer has recovered.</summary>
public sealed record GetPeerTable(uint Peer) : IPeerCommand;

public sealed record PeerTable(PeerSnapshot Table, string Owner, long LastSequenceNr);

/// <summary>An SA pair announced through the management API (DESIGN §3.3). Answered with <see cref="AnnounceResult"/>.</summary>
internal sealed record AnnounceSa(uint Peer, uint Inside, uint OutboundSpi, uint InboundSpi, TimeSpan At) : IPeerCommand;

internal sealed record AnnounceResult(DropReason Refusal);

/// <summary>The public address changed (DESIGN §3.7): close everything bound to the old one.</summary>
public sealed record ClosePeer(uint Peer, TimeSpan At) : IPeerCommand;
