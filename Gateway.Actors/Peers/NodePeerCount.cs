using Akka.Actor;

namespace VpnMasq.Actors.Peers;

/// <summary>
/// How many peers this node has admitted (those deciding frames or holding state), and what the limits cost so
/// far. The peer limit (Masquerade:Limits:Peers) bounds the count, so a flood of new remote addresses cannot
/// exhaust a node's memory; it is a count per node because memory is. Admission is a reservation, so a burst of
/// new peers at the limit admits exactly as many as fit. Entries evicted for the per-peer limit are counted here too.
/// </summary>
public sealed class NodePeerCount : IExtension
{
    private int _admitted;
    private long _refused;
    private long _evicted;
    private readonly LogThrottle<string> _warnings = new(TimeProvider.System, TimeSpan.FromSeconds(10));

    public static NodePeerCount Get(ActorSystem system) => system.WithExtension<NodePeerCount, NodePeerCountProvider>();

    /// <summary>Peers admitted on this node now.</summary>
    public int Count => Volatile.Read(ref _admitted);

    /// <summary>New peers refused for the limit since this node started.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Entries evicted for Masquerade:Limits:EntriesPerPeer since this node started.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Admits a new peer if fewer than <paramref name="limit"/> are admitted.</summary>
    internal bool TryAdmit(int limit)
    {
        while (true)
        {
            int now = Volatile.Read(ref _admitted);
            if (now >= limit)
                return false;
            if (Interlocked.CompareExchange(ref _admitted, now + 1, now) == now)
                return true;
        }
    }

    /// <summary>Admits a peer that already holds state (recovered after a restart or failover): never refused.</summary>
    internal void Admit() => Interlocked.Increment(ref _admitted);

    internal void Release() => Interlocked.Decrement(ref _admitted);

    /// <summary>Counts a refusal; true when it should be logged (the first, then at most one every 10 s during a flood).</summary>
    internal bool Refuse()
    {
        Interlocked.Increment(ref _refused);
        return _warnings.ShouldLog("refused", out _);
    }

    /// <summary>Counts evictions; true when they should be logged (the first, then at most one every 10 s).</summary>
    internal bool Evict(int count)
    {
        Interlocked.Add(ref _evicted, count);
        return _warnings.ShouldLog("evicted", out _);
    }
}

internal sealed class NodePeerCountProvider : ExtensionIdProvider<NodePeerCount>
{
    public override NodePeerCount CreateExtension(ExtendedActorSystem system) => new();
}
