using Akka.Actor;

namespace VpnMasq.Actors.Peers;

/// <summary>
/// How many <see cref="PeerActor"/>s this node runs now, and what the limits cost so far. The peer limit
/// (Masquerade:Limits:Peers) bounds the count, so a flood of new remote addresses cannot exhaust a node's
/// memory; it is a count per node because memory is. Entries evicted for the per-peer limit are counted here too.
/// </summary>
public sealed class NodePeerCount : IExtension
{
    private static readonly long WarnEvery = TimeSpan.FromSeconds(10).Ticks;
    private int _count;
    private long _refused;
    private long _lastWarning = long.MinValue / 2;

    public static NodePeerCount Get(ActorSystem system) => system.WithExtension<NodePeerCount, NodePeerCountProvider>();

    public int Count => Volatile.Read(ref _count);

    internal void Started() => Interlocked.Increment(ref _count);

    internal void Stopped() => Interlocked.Decrement(ref _count);

    private long _evicted;

    /// <summary>Entries evicted for Masquerade:Limits:EntriesPerPeer since this node started.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Counts evictions; true when they should be logged (the first, then at most one every 10 s).</summary>
    internal bool Evict(int count)
    {
        Interlocked.Add(ref _evicted, count);
        return Due(ref _lastEvictionWarning);
    }

    private long _lastEvictionWarning = long.MinValue / 2;

    /// <summary>New peers refused for the limit since this node started.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Counts a refusal; true when it should be logged (the first, then at most one every 10 s during a flood).</summary>
    internal bool Refuse()
    {
        Interlocked.Increment(ref _refused);
        return Due(ref _lastWarning);
    }

    private static bool Due(ref long lastWarning)
    {
        long now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        long last = Interlocked.Read(ref lastWarning);
        return now - last >= WarnEvery && Interlocked.CompareExchange(ref lastWarning, now, last) == last;
    }
}

public sealed class NodePeerCountProvider : ExtensionIdProvider<NodePeerCount>
{
    public override NodePeerCount CreateExtension(ExtendedActorSystem system) => new();
}
