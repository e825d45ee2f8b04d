using VpnMasq.Node.Logs;

namespace VpnMasq.Node.Cluster;

public enum JournalProvider
{
    Sqlite,
    PostgreSql,

    /// <summary>Nothing survives the process: replay, and tests that do not test persistence.</summary>
    InMemory,
}

public enum ClusterDiscovery
{
    /// <summary>Join <see cref="NodeSettings.Seeds"/> directly; none = form a cluster of one.</summary>
    Seeds,

    /// <summary>Akka.Discovery's config method lists every node (host:port of remoting), joined as seed nodes (bare metal).</summary>
    Config,

    /// <summary>Akka.Management cluster bootstrap over the Kubernetes API.</summary>
    Kubernetes,
}

/// <summary>Which split-brain strategy downs unreachable nodes (DESIGN §1).</summary>
public enum DowningStrategy
{
    /// <summary>keep-majority, except lease-majority when the cluster is declared as two nodes on PostgreSQL.</summary>
    Auto,
    KeepMajority,

    /// <summary>keep-oldest with down-if-alone (the survivor of the younger node's crash only).</summary>
    KeepOldest,

    /// <summary>lease-majority with a lease in the shared PostgreSQL database: the survivor of either node's crash keeps running.</summary>
    LeaseMajority,
}

/// <summary>Everything about the node's cluster membership and journal (DESIGN §5.3), bound and validated.</summary>
internal sealed record NodeSettings
{
    public string SystemName { get; init; } = "vpnmasq";

    /// <summary>What the node and Akka log (<c>Logging:*</c>), to the console.</summary>
    public LoggingSettings Logging { get; init; } = new();
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (replay, tests).</summary>
    public int Port { get; init; } = 4053;
    public IReadOnlyList<string> Seeds { get; init; } = [];
    public ClusterDiscovery Discovery { get; init; } = ClusterDiscovery.Seeds;

    /// <summary>Port of this node's cluster bootstrap contact point (not the VpnMasq management API).</summary>
    public int BootstrapPort { get; init; } = 8558;

    /// <summary>Every node's bootstrap contact point (host, or host:port when not <see cref="BootstrapPort"/>) for config discovery.</summary>
    public IReadOnlyList<string> BootstrapEndpoints { get; init; } = [];
    public int RequiredContactPoints { get; init; } = 1;

    /// <summary>Declared cluster size; 2 makes <see cref="DowningStrategy.Auto"/> a lease, so the survivor of a crash keeps running.</summary>
    public int ExpectedNodes { get; init; }
    public DowningStrategy Downing { get; init; } = DowningStrategy.Auto;
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan HeartbeatPause { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Fixed for the life of the journal: every node must use the same number.</summary>
    public int ShardCount { get; init; } = 100;

    public JournalProvider Journal { get; init; } = JournalProvider.Sqlite;
    public string? ConnectionString { get; init; }
    public string DataDirectory { get; init; } = DefaultDataDirectory();

    public int SnapshotEvery { get; init; } = 200;
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ActivityReportInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan OwnerTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Translate established flows locally (DESIGN §1). Replay turns it off: see <see cref="Actors.Ingress.IngressPipeline"/>.</summary>
    public bool UseFlowCache { get; init; } = true;

    public string SqliteFile => Path.Combine(DataDirectory, "journal.db");

    /// <summary>The connection string actually used, with the SQLite default filled in.</summary>
    public string EffectiveConnectionString => Journal switch
    {
        JournalProvider.Sqlite => ConnectionString ?? $"Data Source={SqliteFile};Pooling=true",
        JournalProvider.PostgreSql => ConnectionString ?? throw new InvalidOperationException("PostgreSQL needs a connection string."),
        _ => "",
    };

    public DowningStrategy EffectiveDowning => Downing switch
    {
        DowningStrategy.Auto => ExpectedNodes == 2 && Journal == JournalProvider.PostgreSql ? DowningStrategy.LeaseMajority : DowningStrategy.KeepMajority,
        _ => Downing,
    };

    /// <summary>$XDG_STATE_HOME/vpnmasq, else ~/.local/state/vpnmasq (root: /var/lib/vpnmasq).</summary>
    public static string DefaultDataDirectory()
    {
        if (Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } state)
            return Path.Combine(state, "vpnmasq");
        if (Environment.UserName == "root")
            return "/var/lib/vpnmasq";
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "vpnmasq");
    }
}
