namespace VpnMasq.EndToEnd.Support;

/// <summary>
/// The namespace topology of scripts/e2e/topology.sh under a unique prefix: clients c1 (10.0.0.2)
/// and c2 (10.0.0.3), gateway gw (eth0 10.0.0.1 inside, eth1 200.200.200.200 outside), server srv
/// (199.0.0.1, with 192.168.100.1 behind it). Disposing tears it all down, daemons included.
/// </summary>
internal sealed class Topology : IDisposable
{
    private Topology(string prefix) => Prefix = prefix;

    public string Prefix { get; }
    public string Client1 => Prefix + "-c1";
    public string Client2 => Prefix + "-c2";
    public string Gateway => Prefix + "-gw";
    public string Server => Prefix + "-srv";

    /// <summary>State and logs of this run (daemon logs, the node's data directory).</summary>
    public string Directory => Path.Combine("/tmp/vpnmasq-e2e", Prefix);

    public static Topology Up()
    {
        string prefix = "e" + Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 3)).ToLowerInvariant();
        Shell.Run($"topo_up {prefix}");
        System.IO.Directory.CreateDirectory(Path.Combine("/tmp/vpnmasq-e2e", prefix));
        return new Topology(prefix);
    }

    /// <summary>Runs a command inside namespace <paramref name="ns"/>.</summary>
    public string In(string ns, string command, TimeSpan? timeout = null) => Shell.Run($"ip netns exec {ns} {command}", timeout);

    public Shell.Result TryIn(string ns, string command, TimeSpan? timeout = null) => Shell.Try($"ip netns exec {ns} {command}", timeout);

    public void Dispose() => Shell.Try($"topo_down {Prefix}");
}
