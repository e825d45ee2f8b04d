namespace VpnMasq.Actors.Peers;

/// <summary>How a <see cref="PeerActor"/> persists and tidies up; from configuration (<c>Persistence:*</c>, <c>Peers:*</c>).</summary>
public sealed record PeerActorSettings
{
    /// <summary>A snapshot after this many journaled events, so recovery replays at most this many.</summary>
    public int SnapshotEvery { get; init; } = 200;

    /// <summary>How often a live peer expires entries by the frame clock; zero = only on <see cref="SweepPeer"/> (replay).</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Activity reported by flow caches is not journaled per packet (DESIGN §1); a snapshot this often
    /// while there is unsaved activity keeps the persisted last-seen times coarse but current.
    /// </summary>
    public TimeSpan ActivitySnapshotInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>An empty peer with no messages for this long stops and is forgotten.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The clock for durations (how long the frame clock has run since the last frame, whether an asker's deadline
    /// passed); never for "now" in a decision, which is the frame's time. The serializer's clock must be the same one.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
