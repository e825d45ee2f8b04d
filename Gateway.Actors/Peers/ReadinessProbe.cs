using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace VpnMasq.Actors.Peers;

/// <summary>
/// A node is ready when it is an Up member, its shard region is registered with the coordinator, the shards
/// it hosts have stopped changing for <c>settle</c> (after a restart the coordinator hands this node the shards
/// the journal remembers, and they restart their peers, a moment after the region registers), and
/// every one of those peers has recovered (answers a query, which a recovering persistent actor stashes until
/// recovery ends). Once ready it stays ready: later handoffs are the cluster's normal business, not a reason
/// to stop taking traffic.
/// </summary>
public sealed class ReadinessProbe(ActorSystem system, IActorRef peers, TimeSpan settle)
{
    /// <summary>Long enough for the coordinator to allocate remembered shards after the region registers.</summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(1);

    private volatile bool _ready;
    private string? _hosted;
    private DateTime _hostedSince;

    public ReadinessProbe(ActorSystem system, IActorRef peers) : this(system, peers, DefaultSettle)
    {
    }

    public bool IsReady => _ready;

    /// <summary>Checks once; true when ready. <paramref name="timeout"/> bounds each query.</summary>
    public async Task<bool> CheckAsync(TimeSpan timeout)
    {
        if (_ready)
            return true;
        if (Cluster.Get(system).SelfMember.Status != MemberStatus.Up)
            return false;
        CurrentShardRegionState state;
        try
        {
            // This region is registered with the coordinator, so a new peer's first frame finds an owner at once.
            // (A region without a coordinator answers GetCurrentRegions itself, with an empty set.)
            var regions = await peers.Ask<CurrentRegions>(GetCurrentRegions.Instance, timeout).ConfigureAwait(false);
            if (!regions.Regions.Contains(Cluster.Get(system).SelfAddress))
                return false;
            state = await peers.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return false;
        }

        if (!HasSettled(state))
            return false;
        var queries = LocalPeers.Of(state).Select(peer => peers.Ask<PeerTable>(new GetPeerTable(peer), timeout)).ToList();
        try
        {
            await Task.WhenAll(queries).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return false;
        }

        _ready = true;
        return true;
    }

    private bool HasSettled(CurrentShardRegionState state)
    {
        // Shards only: a remembered shard starts all its peers when it arrives, while the peers themselves come and
        // go with traffic (new remotes, idle ones passivating) and would never hold still on a busy node.
        string hosted = string.Join(';', state.Shards.Select(s => s.ShardId).Order(StringComparer.Ordinal));
        var now = DateTime.UtcNow;
        if (hosted != _hosted)
        {
            _hosted = hosted;
            _hostedSince = now;
        }

        return now - _hostedSince >= settle;
    }
}
