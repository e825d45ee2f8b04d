using System.Globalization;
using Microsoft.Extensions.Configuration;
using VpnMasq.Node.Cluster;
using static VpnMasq.Node.Configuration.SectionValues;

namespace VpnMasq.Node.Configuration;

/// <summary>
/// Binds the <c>Node</c>, <c>Persistence</c>, <c>Cluster</c> and <c>Logging</c> sections (DESIGN §5.3) into
/// <see cref="NodeSettings"/>, strictly: an unknown key or an unusable value names the key.
/// </summary>
internal static class NodeSettingsBinder
{
    public static NodeSettings Bind(IConfiguration configuration)
    {
        var defaults = new NodeSettings();
        var node = configuration.GetSection("Node");
        RequireKnownKeys(node, "InsideInterface", "OutsideInterface", "DataDir", "ManageKernel");
        var persistence = configuration.GetSection("Persistence");
        RequireKnownKeys(persistence, "Provider", "ConnectionString", "SnapshotEvery");
        var cluster = configuration.GetSection("Cluster");
        RequireKnownKeys(cluster, "Hostname", "Port", "Seeds", "Discovery", "BootstrapPort", "BootstrapEndpoints",
            "RequiredContactPoints", "ExpectedNodes", "Downing", "StableAfter", "HeartbeatPause", "ShardCount", "OwnerTimeout");

        var journal = Text(persistence.GetSection("Provider"))?.ToLowerInvariant() switch
        {
            null or "sqlite" => JournalProvider.Sqlite,
            "postgresql" or "postgres" => JournalProvider.PostgreSql,
            "memory" or "inmemory" => JournalProvider.InMemory,
            var other => throw Bad(persistence.GetSection("Provider"), other, "is not a journal provider (sqlite, postgresql or memory)"),
        };
        string? connection = Text(persistence.GetSection("ConnectionString"));
        if (journal == JournalProvider.PostgreSql && string.IsNullOrWhiteSpace(connection))
            throw Missing(persistence.GetSection("ConnectionString"), "the PostgreSQL connection string, e.g. Host=db;Username=vpnmasq;Password=…;Database=vpnmasq");

        var seeds = List(cluster.GetSection("Seeds"), singleValueAllowed: true).Select(s => Text(s) ?? "").Where(s => s.Length > 0).ToList();
        var discovery = Text(cluster.GetSection("Discovery"))?.ToLowerInvariant() switch
        {
            null or "seeds" => ClusterDiscovery.Seeds,
            "config" => ClusterDiscovery.Config,
            "kubernetes" => ClusterDiscovery.Kubernetes,
            var other => throw Bad(cluster.GetSection("Discovery"), other, "is not a discovery method (config or kubernetes)"),
        };
        var endpoints = List(cluster.GetSection("BootstrapEndpoints"), singleValueAllowed: true)
            .Select(s => Text(s) ?? "").Where(s => s.Length > 0).ToList();
        if (discovery == ClusterDiscovery.Config && endpoints.Count == 0)
            throw Missing(cluster.GetSection("BootstrapEndpoints"), "every node's bootstrap contact point (host or host:port, port Cluster:BootstrapPort by default) for Cluster:Discovery=config");
        foreach (var endpoint in endpoints)
        {
            int colon = endpoint.LastIndexOf(':');
            if (colon == 0 || (colon > 0 && !ushort.TryParse(endpoint[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw Bad(cluster.GetSection("BootstrapEndpoints"), endpoint, "is not host or host:port");
        }

        var downing = Text(cluster.GetSection("Downing"))?.ToLowerInvariant() switch
        {
            null or "auto" => DowningStrategy.Auto,
            "keep-majority" => DowningStrategy.KeepMajority,
            "keep-oldest" => DowningStrategy.KeepOldest,
            "lease-majority" => DowningStrategy.LeaseMajority,
            var other => throw Bad(cluster.GetSection("Downing"), other, "is not a downing strategy (auto, keep-majority, keep-oldest or lease-majority)"),
        };

        return defaults with
        {
            Hostname = Text(cluster.GetSection("Hostname")) ?? defaults.Hostname,
            Port = Integer(cluster.GetSection("Port"), defaults.Port, 0, ushort.MaxValue),
            Seeds = seeds,
            Discovery = discovery,
            BootstrapPort = Port(cluster.GetSection("BootstrapPort"), (ushort)defaults.BootstrapPort),
            BootstrapEndpoints = endpoints,
            RequiredContactPoints = Integer(cluster.GetSection("RequiredContactPoints"), defaults.RequiredContactPoints, 1),
            ExpectedNodes = Integer(cluster.GetSection("ExpectedNodes"), defaults.ExpectedNodes, 0),
            Downing = downing,
            StableAfter = PositiveDuration(cluster.GetSection("StableAfter"), defaults.StableAfter),
            HeartbeatPause = PositiveDuration(cluster.GetSection("HeartbeatPause"), defaults.HeartbeatPause),
            ShardCount = Integer(cluster.GetSection("ShardCount"), defaults.ShardCount, 1, 10_000),
            OwnerTimeout = PositiveDuration(cluster.GetSection("OwnerTimeout"), defaults.OwnerTimeout),
            Journal = journal,
            ConnectionString = connection,
            SnapshotEvery = Integer(persistence.GetSection("SnapshotEvery"), defaults.SnapshotEvery, 1),
            DataDirectory = Text(node.GetSection("DataDir")) is { Length: > 0 } dir ? Path.GetFullPath(dir) : defaults.DataDirectory,
            Logging = LoggingSettingsBinder.Bind(configuration),
        };
    }
}
