using System.Diagnostics;
using VpnMasq.Cluster.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace VpnMasq.Cluster.Tests;

/// <summary>
/// DESIGN §1: "Established flows never wait for an owner" and "The table survives failover", on three
/// real node processes sharing a PostgreSQL journal, one of which is killed with SIGKILL.
/// </summary>
public sealed class NodeKillTests(ITestOutputHelper output)
{
    private const int PeerCount = 1000;

    [Fact]
    public async Task ThreeNodes_OneKilledHard_EveryMappingOfEveryPeerSurvivesAndEstablishedFlowsNeverWait()
    {
        await using var cluster = await TestCluster.StartAsync(3, "kill");
        var nodes = cluster.Nodes;
        var driver = new ScenarioDriver(new ReferenceEngine());
        var peers = Enumerable.Range(0, PeerCount).Select(i => new PeerScenario(i)).ToList();

        // Establish ESP, ISAKMP and PPTP flows for 1,000 peers; each frame enters at a different node than the last.
        var clock = Stopwatch.StartNew();
        await ParallelAsync.ForEachAsync(peers, 24, async peer =>
        {
            for (int step = 0; step < peer.Setup.Count; step++)
                await driver.SendAsync(nodes[(peer.Index + step) % nodes.Count], peer, peer.Setup[step]);
        });
        driver.AssertNoFailures("establishing");
        output.WriteLine($"established {PeerCount} peers ({peers.Sum(p => p.Setup.Count)} decisions) in {clock.Elapsed.TotalSeconds:F1} s");

        // Every node's flow cache learns every peer's flows from the replicated table.
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var node in nodes)
            {
                if (await node.IntAsync("flows") < PeerCount)
                    return false;
            }

            return true;
        }, TimeSpan.FromSeconds(60), "all flows replicated to every node");

        var owners = new Dictionary<PeerScenario, string>();
        var before = new Dictionary<PeerScenario, string>();
        foreach (var peer in peers)
        {
            var table = await nodes[0].SendAsync("table", peer.RemoteText);
            owners[peer] = table[2];
            before[peer] = string.Join(' ', table.Skip(3));
        }

        var victim = nodes[1];
        var orphans = peers.Where(p => owners[p] == victim.Address).ToList();
        Assert.True(orphans.Count > PeerCount / 10, $"the victim owns only {orphans.Count} peers");
        var survivors = nodes.Where(n => n != victim).ToList();

        victim.Kill();
        var sinceKill = Stopwatch.StartNew();

        // Established flows of every peer, the dead node's included, are translated from the first frame on.
        await ParallelAsync.ForEachAsync(peers, 24, async peer =>
        {
            foreach (var frame in peer.Established)
                await driver.SendAsync(survivors[peer.Index % survivors.Count], peer, frame, expectSource: "FlowCache");
        });
        driver.AssertNoFailures("established flows right after the kill");
        var establishedChecked = sinceKill.Elapsed;

        // New decisions for the dead node's peers wait for downing, handoff and recovery from the journal.
        var answeredAt = new Dictionary<PeerScenario, TimeSpan>();
        await ParallelAsync.ForEachAsync(orphans, 24, async peer =>
        {
            while (sinceKill.Elapsed < TimeSpan.FromSeconds(120))
            {
                var probe = peer.NextDecision();
                var decision = await survivors[peer.Index % survivors.Count].DecideAsync(probe.Frame, probe.Outbound, ScenarioDriver.Now);
                if (decision.Action == "forward")
                {
                    lock (answeredAt)
                        answeredAt[peer] = sinceKill.Elapsed;
                    return;
                }

                Assert.Equal("owner-unavailable", decision.Reason);
            }
        });
        Assert.Equal(orphans.Count, answeredAt.Count);
        var failover = answeredAt.Values.Max();

        // Every mapping of every peer is still there, entry for entry. The orphans also hold the probe's new UDP
        // mapping (or a few: a probe the owner decided just before its node gave up waiting for the answer).
        foreach (var peer in peers)
        {
            var table = await survivors[0].SendAsync("table", peer.RemoteText);
            var now = Entries(table);
            var then = Entries(before[peer].Split(' '));
            bool orphan = owners[peer] == victim.Address;
            bool intact = now.Keys.Where(k => k != "ports").All(k => now[k].SetEquals(then[k]))
                          && (orphan ? now["ports"].IsProperSupersetOf(then["ports"]) : now["ports"].SetEquals(then["ports"]));
            Assert.True(intact, $"peer {peer.RemoteText} ({peer.Kind}) has {string.Join(' ', table.Skip(3))} after failover, " +
                                $"before: {before[peer]}; orphan: {orphan}");
            Assert.NotEqual(victim.Address, table[2]);
        }

        // And they still route: the established frames again, now also through the new owners' tables.
        await ParallelAsync.ForEachAsync(peers, 24, async peer =>
        {
            foreach (var frame in peer.Established)
                await driver.SendAsync(survivors[(peer.Index + 1) % survivors.Count], peer, frame);
        });
        driver.AssertNoFailures("established flows after failover");

        output.WriteLine($"killed {victim.Name}, owner of {orphans.Count} peers; every established flow of {PeerCount} peers " +
                         $"translated within {establishedChecked.TotalMilliseconds:F0} ms of the kill, no frame lost");
        output.WriteLine($"failover: first orphan answered a new decision after {answeredAt.Values.Min().TotalSeconds:F1} s, " +
                         $"all {orphans.Count} after {failover.TotalSeconds:F1} s");
    }

    /// <summary>Each table's entries by identity ("ports#6/10.0.0.2:1723/1723/1723,…") from a table reply.</summary>
    private static Dictionary<string, HashSet<string>> Entries(IEnumerable<string> words) =>
        words.Where(w => w.Contains('#', StringComparison.Ordinal))
            .Select(w => w.Split('#', 2))
            .ToDictionary(p => p[0], p => p[1].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
}
