using Akka.Actor;
using Akka.Cluster.Sharding;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Actors.Peers;

/// <summary>The remote peers whose actors this node's shard region runs now.</summary>
public static class LocalPeers
{
    public static async Task<List<uint>> AskAsync(IActorRef region, TimeSpan timeout)
    {
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, timeout).ConfigureAwait(false);
        return Of(state);
    }

    /// <summary>The peers a region state lists (entity ids are the peers' addresses).</summary>
    public static List<uint> Of(CurrentShardRegionState state)
    {
        var peers = new List<uint>();
        foreach (var id in state.Shards.SelectMany(shard => shard.EntityIds))
        {
            if (Ipv4Address.TryParse(id, out uint peer))
                peers.Add(peer);
        }

        return peers;
    }
}
