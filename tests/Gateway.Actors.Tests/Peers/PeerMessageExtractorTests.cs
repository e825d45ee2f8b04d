using System.Globalization;
using Akka.Cluster.Sharding;
using VpnMasq.Actors.Peers;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Actors.Tests.Peers;

// DESIGN §1: the entity id is the remote host's address, and every node routes a peer's messages to the same shard.
public sealed class PeerMessageExtractorTests
{
    private const int Shards = 100;
    private static readonly uint Peer = Ipv4Address.Parse("198.51.100.23");
    private readonly PeerMessageExtractor _extractor = new(Shards);

    public static TheoryData<object> MessagesForThePeer => new()
    {
        new DecideFrame(Peer, [1, 2, 3], default, Direction.Inbound, TimeSpan.FromSeconds(1)),
        new ReportActivity(Peer, [new FlowSeen(new EstablishedFlow(FlowKind.Esp, 0x0A000002), TimeSpan.FromSeconds(2))]),
        new SweepPeer(Peer, TimeSpan.FromSeconds(3)),
        new GetPeerTable(Peer),
        new AnnounceSa(Peer, 0x0A000002, 0x1111, 0x2222, TimeSpan.FromSeconds(4)),
        new ClosePeer(Peer, TimeSpan.FromSeconds(5)),
        new ShardRegion.StartEntity("198.51.100.23"), // remembered entities restarted after a failover
    };

    [Theory]
    [MemberData(nameof(MessagesForThePeer))]
    public void EveryMessageForAPeer_GoesToItsShard(object message)
    {
        string id = message is ShardRegion.StartEntity start ? start.EntityId : _extractor.EntityId(message)!;

        Assert.Equal("198.51.100.23", id);
        Assert.Equal(_extractor.ShardId("198.51.100.23"), _extractor.ShardId(id, message));
        Assert.Same(message, _extractor.EntityMessage(message));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("0.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("192.0.2.200")]
    public void EntityId_IsTheDottedAddress(string address)
    {
        Assert.Equal(address, _extractor.EntityId(new GetPeerTable(Ipv4Address.Parse(address))));
    }

    [Fact]
    public void MessageForNoPeer_HasNoEntityId()
    {
        Assert.Null(_extractor.EntityId("not a peer command"));
    }

    [Fact]
    public void ConsecutiveAddresses_SpreadOverEveryShard()
    {
        const int Peers = 1000;
        uint first = Ipv4Address.Parse("203.0.113.0");
        var perShard = new int[Shards];

        for (uint i = 0; i < Peers; i++)
        {
            int shard = int.Parse(_extractor.ShardId(Ipv4Address.Format(first + i)), CultureInfo.InvariantCulture);
            Assert.InRange(shard, 0, Shards - 1);
            perShard[shard]++;
        }

        Assert.All(perShard, count => Assert.InRange(count, 1, 3 * Peers / Shards));
    }
}
