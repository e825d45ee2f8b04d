using System.Diagnostics;
using VpnMasq.Cluster.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace VpnMasq.Cluster.Tests;

/// <summary>
/// DESIGN §1 on two-node clusters: keep-majority cannot break a 1–1 tie for the survivor, so a cluster declared
/// as two nodes (Cluster:ExpectedNodes=2) on PostgreSQL downs with lease-majority: the lease, held in the shared
/// database, decides which side goes on, whichever node died.
/// </summary>
public sealed class TwoNodeCrashTests(ITestOutputHelper output)
{
    private const int PeerCount = 120;

    [Fact]
    public async Task TwoNodes_OldestKilledHard_SurvivorKeepsRunningAndTakesOverEveryPeer()
    {
        await using var cluster = await TestCluster.StartAsync(2, "pair");
        var (oldest, survivor) = (cluster.Nodes[0], cluster.Nodes[1]);
        var driver = new ScenarioDriver(new ReferenceEngine());
        var peers = Enumerable.Range(0, PeerCount).Select(i => new PeerScenario(i)).ToList();
        await ParallelAsync.ForEachAsync(peers, 24, async peer =>
        {
            foreach (var frame in peer.Setup)
                await driver.SendAsync(cluster.Nodes[peer.Index % 2], peer, frame);
        });
        driver.AssertNoFailures("establishing");
        var onOldest = new List<PeerScenario>();
        foreach (var peer in peers)
        {
            if ((await survivor.SendAsync("table", peer.RemoteText))[2] == oldest.Address)
                onOldest.Add(peer);
        }

        Assert.NotEmpty(onOldest);
        oldest.Kill();
        var sinceKill = Stopwatch.StartNew();

        // The survivor downs the oldest instead of itself, becomes the only member, and — with no traffic
        // at all for them — restarts every remembered peer from the journal.
        await cluster.WaitForMembersAsync(1, TimeSpan.FromSeconds(60));
        Assert.False(survivor.HasExited);
        await Eventually.HoldsAsync(async () => await survivor.IntAsync("entities") >= PeerCount,
            TimeSpan.FromSeconds(60), $"all {PeerCount} peers restarted on the survivor", survivor);
        var restarted = sinceKill.Elapsed;
        Assert.Equal("true", (await survivor.SendAsync("ready"))[2]);

        foreach (var peer in peers)
        {
            foreach (var frame in peer.Established)
                await driver.SendAsync(survivor, peer, frame);
            var decision = await driver.SendAsync(survivor, peer, peer.NextDecision());
            Assert.Equal("forward", decision.Action);
            Assert.Equal("Owner", decision.Source);
            Assert.Equal(survivor.Address, decision.Owner);
        }

        driver.AssertNoFailures("after the oldest died");
        output.WriteLine($"survivor took over {onOldest.Count} peers of the killed oldest node; all peers restarted " +
                         $"(remembered entities) {restarted.TotalSeconds:F1} s after the kill");
    }
}
