using System.Globalization;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Discovery.Config.Hosting;
using Akka.Discovery.KubernetesApi;
using Akka.Hosting;
using Akka.Management.Cluster.Bootstrap;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using VpnMasq.Actors.Flows;
using VpnMasq.Actors.Ingress;
using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Serialization;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Flows;
using SqlJournal = Akka.Persistence.Sql.Hosting.SqlJournalOptions;
using SqlSnapshots = Akka.Persistence.Sql.Hosting.SqlSnapshotOptions;

namespace VpnMasq.Node.Cluster;

/// <summary>What a node's actors are built from: its settings and the node-local parts its actors share.</summary>
internal sealed record VpnMasqParts(LiveSettings Masquerade, PeerActorSettings Peers, FlowIndex FlowCache, ActivityRecorder Activity);

/// <summary>
/// A gateway node's Akka.NET, composed the Akka.Hosting way from <see cref="NodeSettings"/> alone: remoting, the
/// cluster with its split-brain resolver, the journal, cluster bootstrap when configured, the flow replicator, the
/// peer shard region and the activity reporter. Each setting goes through its Akka.Hosting option; the few keys no
/// option covers are in <see cref="UncoveredHocon"/>, each said why.
/// </summary>
internal static class VpnMasqHosting
{
    public const string PeerRegion = "peer";
    public const string SplitBrainLease = "vpnmasq.split-brain-lease";

    /// <summary>Akka's default frame limit is 128 KiB; a peer table (snapshots, GetPeerTable) can be larger.</summary>
    private const int MaximumFrameSize = 4 * 1024 * 1024;

    public static AkkaConfigurationBuilder WithVpnMasq(this AkkaConfigurationBuilder akka, NodeSettings s, VpnMasqParts parts)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(parts);
        var splitBrainResolver = SplitBrainResolver(s);

        // ClusterOptions only names the lease (lease-implementation); its own configuration is the option's to add.
        if (splitBrainResolver is LeaseMajorityOption { LeaseImplementation: { } lease })
            lease.Apply(akka);
        akka.AddHocon(UncoveredHocon(s), HoconAddMode.Prepend)
            .AddHocon(SerializationHocon.Config, HoconAddMode.Prepend)
            .WithRemoting(new RemoteOptions { HostName = s.Hostname, Port = s.Port, MaxFrameSize = MaximumFrameSize })
            .WithClustering(new ClusterOptions
            {
                SplitBrainResolver = splitBrainResolver,
                FailureDetector = new PhiAccrualFailureDetectorOptions { AcceptableHeartbeatPause = s.HeartbeatPause },
            })
            .WithJournal(s)
            .WithBootstrap(s)
            .WithActors((system, registry) => registry.Register<FlowReplicator>(system.ActorOf(FlowReplicator.Props(parts.FlowCache), "flows")))
            .WithShardRegion<PeerActor>(
                PeerRegion,
                (_, registry, _) =>
                {
                    var flows = registry.Get<FlowReplicator>();
                    return entityId => PeerActor.Props(entityId, parts.Masquerade, parts.Peers, flows);
                },
                new PeerMessageExtractor(s.ShardCount),
                new ShardOptions
                {
                    // A remembered peer restarts on its shard's new node after a failover, recovering its sessions
                    // from the journal; the coordinator's own state lives in distributed data.
                    RememberEntities = true,
                    RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
                    StateStoreMode = StateStoreMode.DData,
                    // A peer passivates itself once empty (PeerActor); one with sessions must stay.
                    ShouldPassivateIdleEntities = false,
                })
            .WithActors((system, registry) => registry.Register<ActivityReporter>(
                system.ActorOf(ActivityReporter.Props(parts.Activity, registry.Get<PeerActor>(), s.ActivityReportInterval), "activity")));
        return akka;
    }

    private static SplitBrainResolverOption SplitBrainResolver(NodeSettings s) => s.EffectiveDowning switch
    {
        DowningStrategy.KeepOldest => new KeepOldestOption { DownIfAlone = true },
        DowningStrategy.LeaseMajority => new LeaseMajorityOption { LeaseImplementation = new PostgresLeaseOption(LeaseConnectionString(s)) },
        _ => new KeepMajorityOption(),
    };

    private static string LeaseConnectionString(NodeSettings s) =>
        s.Journal == JournalProvider.PostgreSql
            ? s.EffectiveConnectionString
            : throw new InvalidOperationException("The lease-majority split-brain strategy keeps its lease in PostgreSQL: set Persistence:Provider=postgresql.");

    private static AkkaConfigurationBuilder WithJournal(this AkkaConfigurationBuilder akka, NodeSettings s)
    {
        if (s.Journal == JournalProvider.InMemory)
            return akka.WithInMemoryJournal().WithInMemorySnapshotStore();

        string provider = s.Journal == JournalProvider.Sqlite ? LinqToDB.ProviderName.SQLiteMS : LinqToDB.ProviderName.PostgreSQL15;
        return akka.WithSqlPersistence(
            new SqlJournal(isDefaultPlugin: true) { ConnectionString = s.EffectiveConnectionString, ProviderName = provider, AutoInitialize = true },
            new SqlSnapshots(isDefaultPlugin: true) { ConnectionString = s.EffectiveConnectionString, ProviderName = provider, AutoInitialize = true });
    }

    /// <summary>
    /// Akka.Management cluster bootstrap: contact points (each node's <see cref="BootstrapContactPoint"/>) from the
    /// configured list or from the Kubernetes API. On a cold start every contact point must answer before the
    /// lowest-addressed node forms the cluster, so a partly started deployment never forms two. Not started here:
    /// <see cref="GatewayNode"/> starts it once its contact point serves.
    /// </summary>
    private static AkkaConfigurationBuilder WithBootstrap(this AkkaConfigurationBuilder akka, NodeSettings s)
    {
        if (s.Discovery == ClusterDiscovery.Seeds)
            return akka;
        string method;
        if (s.Discovery == ClusterDiscovery.Config)
        {
            var endpoints = s.BootstrapEndpoints.Select(e => e.Contains(':', StringComparison.Ordinal) ? e : $"{e}:{s.BootstrapPort}");
            akka.WithConfigDiscovery(new ConfigServiceDiscoveryOptions { Services = [new Service { Name = s.SystemName, Endpoints = [.. endpoints] }] });
            method = "config";
        }
        else
        {
            akka.WithKubernetesDiscovery(new KubernetesDiscoveryOptions { PodLabelSelector = $"app={s.SystemName}" });
            method = "kubernetes-api";
        }

        var bootstrap = new ClusterBootstrapOptions();
        bootstrap.ContactPointDiscovery.ServiceName = s.SystemName;
        bootstrap.ContactPointDiscovery.DiscoveryMethod = method;
        bootstrap.ContactPointDiscovery.PortName = "bootstrap";
        bootstrap.ContactPointDiscovery.RequiredContactPointsNr = s.RequiredContactPoints;
        bootstrap.ContactPointDiscovery.ContactWithAllContactPoints = true;
        bootstrap.ContactPointDiscovery.StableMargin = TimeSpan.FromSeconds(1);
        bootstrap.ContactPointDiscovery.Interval = TimeSpan.FromMilliseconds(500);
        bootstrap.ContactPoint.ProbeInterval = TimeSpan.FromMilliseconds(500);
        return akka.WithClusterBootstrap(bootstrap, autoStart: false);
    }

    /// <summary>
    /// The keys Akka.Hosting (Akka.Hosting 1.5.74, Akka.Cluster.Hosting 1.5.73, Akka.Persistence.Sql.Hosting 1.5.70) has no
    /// option for, and only those.
    /// </summary>
    internal static string UncoveredHocon(NodeSettings s)
    {
        // SQLite has one writer at a time: several write streams only wait on each other's locks,
        // while one stream with large batches commits many peers' events per fsync.
        // Group commit (issue 12) needs nothing more here: a peer's WriteMessages (every event it decided while its
        // previous write was in flight) is one entry of the plugin's write queue, written in one transaction even
        // past batch-size, and entries of many peers are grouped up to batch-size rows per transaction. Measured with
        // PeerActorBenchmarks on a loaded 2-core machine: prefer-parameters-on-multirow-insert = on made no
        // difference beyond run-to-run noise, so the plugin's defaults stay.
        string writers = s.Journal switch
        {
            JournalProvider.Sqlite => "akka.persistence.journal.sql { parallelism = 1, batch-size = 1000 }",
            JournalProvider.PostgreSql => "akka.persistence.journal.sql.parallelism = 4",
            _ => "",
        };
        return $$"""
            akka {
              # The caller owns process signals and exit (vpnmasqd run: graceful leave, then a second signal exits at once).
              coordinated-shutdown.run-by-clr-shutdown-hook = off
              cluster {
                # ClusterOptions.SplitBrainResolver has no stable-after, and LeaseMajorityOption no minority delay or release-after.
                split-brain-resolver {
                  stable-after = {{Millis(s.StableAfter)}}
                  lease-majority {
                    acquire-lease-delay-for-minority = 2s
                    release-after = 40s
                  }
                }
                # ShardOptions has no coordinator timings. Every shard and every peer recovers at once after a restart; give the journal time.
                sharding {
                  rebalance-interval = 2s
                  waiting-for-state-timeout = 30s
                  updating-state-timeout = 30s
                }
                # DDataOptions has no notify interval: flow caches learn a changed flow within 100 ms.
                distributed-data.notify-subscribers-interval = 100ms
              }
            }
            # SqlJournalOptions has no write parallelism or batch size.
            {{writers}}
            """;
    }

    private static string Millis(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}
