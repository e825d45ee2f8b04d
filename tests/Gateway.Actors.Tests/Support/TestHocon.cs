using Akka.Configuration;
using VpnMasq.Actors.Serialization;

namespace VpnMasq.Actors.Tests.Support;

/// <summary>
/// The HOCON of the test actor systems: a cluster provider on loopback (PeerActor asks Akka.Cluster for its
/// address), VpnMasq's serializer bindings, and the journal each kind of test needs.
/// </summary>
internal static class TestHocon
{
    private const string Cluster = """
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          actor.provider = cluster
          remote.dot-netty.tcp {
            hostname = "127.0.0.1"
            port = 0
          }
          cluster {
            # No failures to resolve here: nothing is downed behind a test's back.
            downing-provider-class = ""
            distributed-data {
              gossip-interval = 200ms
              notify-subscribers-interval = 50ms
            }
          }
        }
        """;

    /// <summary>Akka.Persistence.TestKit's journal (writes can be made to fail) and a snapshot store that stores what deserializes.</summary>
    private const string TestKitPersistence = """
        akka.persistence {
          journal {
            plugin = "akka.persistence.journal.test"
            auto-start-journals = ["akka.persistence.journal.test"]
            test {
              class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
          }
          snapshot-store {
            plugin = "akka.persistence.snapshot-store.round-trip"
            auto-start-snapshot-stores = ["akka.persistence.snapshot-store.round-trip"]
            round-trip {
              class = "VpnMasq.Actors.Tests.Support.RoundTripSnapshotStore, Gateway.Actors.Tests"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
          }
        }
        """;

    /// <summary>An in-memory journal that takes a round trip per write and reports each write (<see cref="BatchRecordingJournal"/>).</summary>
    private const string BatchRecordingPersistence = """
        akka.persistence {
          journal {
            plugin = "akka.persistence.journal.batch-recording"
            batch-recording {
              class = "VpnMasq.Actors.Tests.Support.BatchRecordingJournal, Gateway.Actors.Tests"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
          }
          snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        }
        """;

    private const string InMemoryPersistence = """
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    /// <summary>As a node runs its peer shard region (Gateway.Node's VpnMasqHosting), with short intervals for tests.</summary>
    private const string Sharding = """
        akka.cluster.sharding {
          remember-entities = on
          remember-entities-store = eventsourced
          state-store-mode = ddata
          passivate-idle-entity-after = off
          rebalance-interval = 2s
        }
        """;

    /// <summary>
    /// PeerActors under test, no cluster joined. With <paramref name="serializeMessages"/> every message sent to an
    /// actor is serialized and deserialized on the way, so what PeerActor receives and answers is proven to cross
    /// nodes. Tests that make the TestKit journal fail or lag turn it off: Akka's own journal plumbing then carries
    /// an exception (in AsyncWriteJournal's Desequenced) that the default serializer cannot read back, so the
    /// failure would be lost, and the TestKit's delaying interceptor does not survive the trip either.
    /// </summary>
    public static Config PeerActor(bool serializeMessages) => ConfigurationFactory.ParseString(string.Join('\n',
        "akka.actor.serialize-messages = " + (serializeMessages ? "on" : "off"), Cluster, TestKitPersistence, SerializationHocon.Config));

    /// <summary>PeerActors under test on the <see cref="BatchRecordingJournal"/>; every message is serialized on its way.</summary>
    public static Config PeerActorOnBatchRecordingJournal { get; } = ConfigurationFactory.ParseString(string.Join('\n',
        "akka.actor.serialize-messages = on", Cluster, BatchRecordingPersistence, SerializationHocon.Config));

    /// <summary>A cluster node with a peer shard region on the in-memory journal; every message is serialized on its way.</summary>
    public static Config GatewayNode { get; } = ConfigurationFactory.ParseString(string.Join('\n',
        "akka.actor.serialize-messages = on", Cluster, Sharding, InMemoryPersistence, SerializationHocon.Config));

    /// <summary>A cluster member that replicates flows (no persistence needed); every message is serialized on its way.</summary>
    public static Config FlowNode { get; } = ConfigurationFactory.ParseString(string.Join('\n',
        "akka.actor.serialize-messages = on", Cluster, SerializationHocon.Config));
}
