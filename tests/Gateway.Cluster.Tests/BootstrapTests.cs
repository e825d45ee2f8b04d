using VpnMasq.Cluster.Tests.Support;
using Xunit;

namespace VpnMasq.Cluster.Tests;

/// <summary>
/// Bare-metal cluster formation (DESIGN §1): Akka.Management cluster bootstrap with Akka.Discovery's config
/// method listing every node's contact point; no seed node is configured.
/// </summary>
public sealed class BootstrapTests
{
    [Fact]
    public async Task ConfigDiscovery_ThreeNodesWithoutSeeds_FormOneClusterAndRoutePeers()
    {
        await using var cluster = await TestCluster.StartAsync(3, "bootstrap", bootstrap: true);
        var driver = new ScenarioDriver(new ReferenceEngine());
        var peers = Enumerable.Range(0, 30).Select(i => new PeerScenario(i)).ToList();
        foreach (var peer in peers)
        {
            for (int step = 0; step < peer.Setup.Count; step++)
                await driver.SendAsync(cluster.Nodes[(peer.Index + step) % 3], peer, peer.Setup[step]);
        }

        driver.AssertNoFailures("routing through a bootstrapped cluster");
        var owners = new HashSet<string>();
        foreach (var peer in peers)
            owners.Add((await cluster.Nodes[0].SendAsync("table", peer.RemoteText))[2]);
        Assert.True(owners.Count > 1, "every peer lives on one node: the nodes did not form one cluster");
        // Formed by the bootstrap's decision: exactly one node (the lowest contact point) joined itself.
        Assert.All(cluster.Nodes, n => Assert.Contains("Initiating bootstrap procedure using config method", n.Log, StringComparison.Ordinal));
        Assert.Single(cluster.Nodes, n => n.Log.Contains("Initiating new cluster, self-joining", StringComparison.Ordinal));
    }
}
