using System.Diagnostics;
using System.Globalization;
using VpnMasq.Node.Cluster;
using VpnMasq.Node.Logs;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Benchmarks;

/// <summary>
/// Issue 12's burst, scripted (it measures a node, not a method): <c>burst [--flows N] [--remotes R]</c>. One node on
/// a SQLite journal; N new UDP flows spread over R remotes, every frame handed to the ingress pipeline at once, as a
/// capture loop does, so each waits for its owner at most <c>Cluster:OwnerTimeout</c>. Prints how many were
/// forwarded, how many dropped and why, and the rate.
/// </summary>
internal static class BurstLoad
{
    private static readonly uint Public = Ipv4Address.Parse("200.200.200.200");

    public static async Task<int> RunAsync(string[] args)
    {
        int flows = ScriptArguments.Option(args, "--flows", 5000);
        int remotes = ScriptArguments.Option(args, "--remotes", 1);
        var directory = Directory.CreateTempSubdirectory("vpnmasq-burst-");
        var settings = new NodeSettings
        {
            Journal = JournalProvider.Sqlite, DataDirectory = directory.FullName, Port = 0,
            Logging = LoggingSettings.WarningsOnly, SweepInterval = TimeSpan.Zero, UseFlowCache = false,
        };
        var peers = Enumerable.Range(0, remotes).Select(i => Ipv4Address.Parse("198.18.0.1") + (uint)i).ToList();
        var at = DateTime.UtcNow - DateTime.UnixEpoch;
        await using (var node = await GatewayNode.StartAsync(settings, new MasqueradeOptions { PublicAddress = Public }))
        {
            await node.WhenUpAsync(TimeSpan.FromSeconds(30));
            // Start every peer (recovery of an empty journal) before the burst.
            await Task.WhenAll(peers.Select(r => node.Ingress.DecideAsync(JournalLoad.UdpFrame(r, 1000), Direction.Outbound, at).AsTask()));
            // Source ports from 10000: clear of 500 and 4500, whose frames would be taken for IKE and NAT-T.
            var frames = Enumerable.Range(0, flows).Select(i => JournalLoad.UdpFrame(peers[i % remotes], (ushort)(10000 + i / remotes))).ToList();
            var clock = Stopwatch.StartNew();
            var decisions = await Task.WhenAll(frames.Select(f => node.Ingress.DecideAsync(f, Direction.Outbound, at).AsTask()));
            clock.Stop();
            int forwarded = decisions.Count(d => d.Verdict.Action == VerdictAction.Forward);
            var drops = decisions.Where(d => d.Verdict.Action != VerdictAction.Forward).GroupBy(d => d.Verdict.Reason)
                .Select(g => $"{g.Key}: {g.Count()}");
            Console.WriteLine($"burst of {flows} new UDP flows to {remotes} remote(s): {forwarded} forwarded in {clock.Elapsed.TotalSeconds:F2} s " +
                              $"= {flows / clock.Elapsed.TotalSeconds:F0} flows/s; dropped: {string.Join(", ", drops.DefaultIfEmpty("none"))}");
        }

        directory.Delete(recursive: true);
        return 0;
    }

}
