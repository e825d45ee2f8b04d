using System.Globalization;
using System.Text;
using VpnMasq.Actors.Serialization;

namespace VpnMasq.Node.Cluster;

/// <summary>
/// The HOCON a node runs with, derived from <see cref="NodeSettings"/> alone, so what a node does is
/// visible in one place (and printed at debug level on start). Logging is not here: see <see cref="Logs.NodeLogging"/>.
/// </summary>
public static class AkkaHocon
{
    public static string For(NodeSettings s)
    {
        var hocon = new StringBuilder();
        hocon.AppendLine(CultureInfo.InvariantCulture, $$"""
            akka {
              # The caller owns process signals and exit (vpnmasqd run: graceful leave, then a second signal exits at once).
              coordinated-shutdown.run-by-clr-shutdown-hook = off
              actor.provider = cluster
              remote.dot-netty.tcp {
                hostname = "{{s.Hostname}}"
                port = {{s.Port}}
                maximum-frame-size = 4 MiB
              }
              cluster {
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = {{Strategy(s.EffectiveDowning)}}
                  stable-after = {{Millis(s.StableAfter)}}
                  keep-oldest.down-if-alone = on
                  lease-majority {
                    lease-implementation = "vpnmasq.split-brain-lease"
                    acquire-lease-delay-for-minority = 2s
                    release-after = 40s
                  }
                }
                failure-detector.acceptable-heartbeat-pause = {{Millis(s.HeartbeatPause)}}
                sharding {
                  remember-entities = on
                  remember-entities-store = eventsourced
                  state-store-mode = ddata
                  passivate-idle-entity-after = off
                  rebalance-interval = 2s
                  # Every shard and every peer recovers at once after a restart; give the journal time.
                  waiting-for-state-timeout = 30s
                  updating-state-timeout = 30s
                }
                distributed-data.notify-subscribers-interval = 100ms
              }
            }
            """);
        hocon.AppendLine(Journal(s));
        if (s.EffectiveDowning == DowningStrategy.LeaseMajority)
            hocon.AppendLine(Lease(s));
        hocon.AppendLine(Bootstrap(s));
        hocon.AppendLine(SerializationHocon.Config);
        return hocon.ToString();
    }

    private static string Journal(NodeSettings s)
    {
        if (s.Journal == JournalProvider.InMemory)
        {
            return """
                akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
                akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
                """;
        }

        string provider = s.Journal == JournalProvider.Sqlite ? LinqToDB.ProviderName.SQLiteMS : LinqToDB.ProviderName.PostgreSQL15;
        string connection = Quote(s.EffectiveConnectionString);

        // SQLite has one writer at a time: several write streams only wait on each other's locks,
        // while one stream with large batches commits many peers' events per fsync.
        string writers = s.Journal == JournalProvider.Sqlite ? "parallelism = 1\n                  batch-size = 1000" : "parallelism = 4";
        return $$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  connection-string = {{connection}}
                  provider-name = "{{provider}}"
                  auto-initialize = true
                  {{writers}}
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  connection-string = {{connection}}
                  provider-name = "{{provider}}"
                  auto-initialize = true
                }
              }
            }
            """;
    }

    /// <summary>
    /// Akka.Management cluster bootstrap: contact points (each node's <see cref="BootstrapContactPoint"/>) from the
    /// configured list or from the Kubernetes API. On a cold start every contact point must answer before the
    /// lowest-addressed node forms the cluster, so a partly started deployment never forms two.
    /// </summary>
    private static string Bootstrap(NodeSettings s)
    {
        if (s.Discovery == ClusterDiscovery.Seeds)
            return "";
        string method = s.Discovery == ClusterDiscovery.Config ? "config" : "kubernetes-api";
        var endpoints = s.BootstrapEndpoints.Select(e => Quote(e.Contains(':', StringComparison.Ordinal) ? e : $"{e}:{s.BootstrapPort}"));
        return $$"""
            akka.discovery {
              method = {{method}}
              config.services.{{s.SystemName}}.endpoints = [{{string.Join(", ", endpoints)}}]
              kubernetes-api.pod-label-selector = "app={{s.SystemName}}"
            }
            akka.management.cluster.bootstrap {
              contact-point-discovery {
                service-name = {{s.SystemName}}
                discovery-method = {{method}}
                port-name = bootstrap
                required-contact-point-nr = {{s.RequiredContactPoints}}
                contact-with-all-contact-points = on
                stable-margin = 1s
                interval = 500ms
              }
              contact-point.probe-interval = 500ms
            }
            """;
    }

    private static string Strategy(DowningStrategy strategy) => strategy switch
    {
        DowningStrategy.KeepOldest => "keep-oldest",
        DowningStrategy.LeaseMajority => "lease-majority",
        _ => "keep-majority",
    };

    private static string Lease(NodeSettings s)
    {
        if (s.Journal != JournalProvider.PostgreSql)
            throw new InvalidOperationException("The lease-majority split-brain strategy keeps its lease in PostgreSQL: set Persistence:Provider=postgresql.");
        return $$"""
            vpnmasq.split-brain-lease {
              lease-class = "{{typeof(PostgresLease).AssemblyQualifiedName}}"
              connection-string = {{Quote(s.EffectiveConnectionString)}}
              heartbeat-timeout = 30s
              heartbeat-interval = 3s
              lease-operation-timeout = 5s
            }
            """;
    }

    private static string Millis(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
