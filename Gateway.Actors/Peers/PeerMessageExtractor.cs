using Akka.Cluster.Sharding;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Actors.Peers;

/// <summary>
/// Entity id = the remote peer's dotted address (DESIGN §1); the shard is a stable function of it,
/// so every node routes a peer's frames to the same shard. The shard count is fixed by configuration
/// and must be the same on every node.
/// </summary>
public sealed class PeerMessageExtractor(int shardCount) : HashCodeMessageExtractor(shardCount)
{
    public override string? EntityId(object message) => message switch
    {
        IPeerCommand c => Ipv4Address.Format(c.Peer),
        _ => null,
    };

    public override string ShardId(string entityId, object? messageHint = null) =>
        Ipv4Address.TryParse(entityId, out uint address)
            ? ((int)(Mix(address) % (uint)MaxNumberOfShards)).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : base.ShardId(entityId, messageHint);

    /// <summary>Spreads consecutive addresses (a /24 of peers) over all shards.</summary>
    private static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= 0x7feb352d;
        x ^= x >> 15;
        x *= 0x846ca68b;
        x ^= x >> 16;
        return x;
    }
}
