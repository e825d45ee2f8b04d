using System.Globalization;
using System.Net;
using System.Net.Sockets;
using VpnMasq.Tests.Shared;

namespace VpnMasq.Cluster.Tests.Support;

/// <summary>
/// Several gateway nodes on loopback sharing one PostgreSQL journal (a fresh database per cluster),
/// with failure detection and the split-brain resolver tuned down so a test sees a failover in seconds.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly PostgresDatabase _database;

    private TestCluster(PostgresDatabase database, List<TestNodeProcess> nodes)
    {
        _database = database;
        Nodes = nodes;
    }

    public List<TestNodeProcess> Nodes { get; }

    public static Task<TestCluster> StartAsync(int size, string name, params string[] extraArguments) =>
        StartAsync(size, name, bootstrap: false, extraArguments);

    /// <param name="bootstrap">
    /// Form the cluster with config discovery (every node lists every node) instead of a seed node.
    /// </param>
    public static async Task<TestCluster> StartAsync(int size, string name, bool bootstrap, params string[] extraArguments)
    {
        var database = await PostgresDatabase.CreateAsync("vpnmasq_" + name);
        var ports = Enumerable.Range(0, size).Select(_ => FreePort()).ToList();
        var contactPorts = Enumerable.Range(0, size).Select(_ => FreePort()).ToList();
        var nodes = new List<TestNodeProcess>();
        try
        {
            // The first node is the seed (and the oldest); the others join it, one after another so ages are known.
            for (int i = 0; i < size; i++)
            {
                var arguments = new List<string>
                {
                    "--Cluster:Hostname=127.0.0.1",
                    $"--Cluster:Port={ports[i]}",
                    $"--Cluster:ExpectedNodes={size}",
                    "--Cluster:StableAfter=00:00:04",
                    "--Cluster:HeartbeatPause=00:00:02",
                    "--Cluster:OwnerTimeout=00:00:10",
                    "--Cluster:ShardCount=60",
                    "--Persistence:Provider=postgresql",
                    $"--Persistence:ConnectionString={database.ConnectionString}",
                    "--Masquerade:PublicAddress=200.200.200.200",
                };
                if (bootstrap)
                {
                    arguments.Add("--Cluster:Discovery=config");
                    arguments.Add($"--Cluster:BootstrapPort={contactPorts[i]}");
                    arguments.AddRange(contactPorts.Select((p, k) => $"--Cluster:BootstrapEndpoints:{k}=127.0.0.1:{p}"));
                }
                else
                {
                    arguments.Add($"--Cluster:Seeds:0=127.0.0.1:{ports[0]}");
                }

                arguments.AddRange(extraArguments);
                nodes.Add(await (bootstrap
                    ? TestNodeProcess.LaunchAsync($"node{i}", arguments) // bootstrap needs them all running before any is up
                    : TestNodeProcess.StartAsync($"node{i}", arguments, StartTimeout)));
            }

            foreach (var node in nodes)
                await node.WhenUpAsync(StartTimeout);

            var cluster = new TestCluster(database, nodes);
            await cluster.WaitForMembersAsync(size, StartTimeout);
            await cluster.WarmUpAsync();
            return cluster;
        }
        catch
        {
            foreach (var node in nodes)
                await node.DisposeAsync();
            await database.DisposeAsync();
            throw;
        }
    }

    public IEnumerable<TestNodeProcess> Alive => Nodes.Where(n => !n.HasExited);

    /// <summary>Waits until every live node sees <paramref name="count"/> Up members.</summary>
    public async Task WaitForMembersAsync(int count, TimeSpan timeout)
    {
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var node in Alive)
            {
                if (await node.IntAsync("members") != count)
                    return false;
            }

            return true;
        }, timeout, $"{count} members up");
    }

    /// <summary>
    /// Waits until every node is ready and its frames reach an owner in time (the journal's tables are
    /// created on first use). The warm-up frames are inbound strays: owners drop them and store nothing.
    /// </summary>
    private async Task WarmUpAsync()
    {
        for (int i = 0; i < Nodes.Count; i++)
        {
            var node = Nodes[i];
            await Eventually.HoldsAsync(async () => (await node.SendAsync("ready"))[2] == "true", StartTimeout, $"{node.Name} ready");
            var stray = Protocols.Tests.Masquerade.TestFrames.UdpFrame(
                Protocols.Ipv4.Ipv4Address.Parse("192.0.2.1") + (uint)i, 7, PeerScenario.Public, 7);
            await Eventually.HoldsAsync(async () => (await node.DecideAsync(stray, outbound: false, ScenarioDriver.Now)).Reason == "no-mapping",
                StartTimeout, $"{node.Name} reaches an owner");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
            await node.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TestNodeProcess? logOf = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                    return;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
            {
                // not yet
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: {what}" +
                                           (logOf is null ? "" : $"\n{logOf.Name}'s log ends:\n{logOf.Log[^Math.Min(6000, logOf.Log.Length)..]}"));
            await Task.Delay(200);
        }
    }
}
