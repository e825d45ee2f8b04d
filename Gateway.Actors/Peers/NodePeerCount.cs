using Akka.Actor;

namespace VpnMasq.Actors.Peers;

/// <summary>
/// How many <see cref="PeerActor"/>s this node runs now. The peer limit (Masquerade:Limits:Peers) bounds it,
/// so a flood of new remote addresses cannot exhaust a node's memory; it is a count per node because memory is.
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

    /// <summary>New peers refused for the limit since this node started.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Counts a refusal; true when it should be logged (the first, then at most one every 10 s during a flood).</summary>
    internal bool Refuse()
    {
        Interlocked.Increment(ref _refused);
        long now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        long last = Interlocked.Read(ref _lastWarning);
        return now - last >= WarnEvery && Interlocked.CompareExchange(ref _lastWarning, now, last) == last;
    }
}

public sealed class NodePeerCountProvider : ExtensionIdProvider<NodePeerCount>
{
    public override NodePeerCount CreateExtension(ExtendedActorSystem system) => new();
}
