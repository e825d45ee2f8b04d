using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace VpnMasq.Actors.Peers;

/// <summary>
/// A node is ready when it is an Up member, the shard coordinator answers, and every peer its shards hold has recovered (answers a
/// query, which a recovering persistent actor stashes until recovery ends). Once ready it stays ready:
/// later handoffs are the cluster's normal business, not a reason to stop taking traffic.
/// </summary>
public sealed class ReadinessProbe(ActorSystem system, IActorRef peers)
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    /// <summary>Checks once; true when ready. <paramref name="timeout"/> bounds each query.</summary>
    public async Task<bool> CheckAsync(TimeSpan timeout)
    {
        if (_ready)
            return true;
        if (Cluster.Get(system).SelfMember.Status != MemberStatus.Up)
            return false;
        List<uint> local;
        try
        {
            // This region is registered with the coordinator, so a new peer's first frame finds an owner at once.
            // (A region without a coordinator answers GetCurrentRegions itself, with an empty set.)
            var regions = await peers.Ask<CurrentRegions>(GetCurrentRegions.Instance, timeout).ConfigureAwait(false);
            if (!regions.Regions.Contains(Cluster.Get(system).SelfAddress))
                return false;
            local = await LocalPeers.AskAsync(peers, timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return false;
        }

        var queries = local.Select(peer => peers.Ask<PeerTable>(new GetPeerTable(peer), timeout)).ToList();
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
}
