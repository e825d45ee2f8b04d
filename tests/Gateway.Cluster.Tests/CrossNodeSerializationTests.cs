using VpnMasq.Cluster.Tests.Support;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Tests.Masquerade;
using Xunit;

namespace VpnMasq.Cluster.Tests;

/// <summary>DESIGN §3.3 across nodes: initial ESP packets for one remote are serialized by its owner, wherever they arrive.</summary>
public sealed class CrossNodeSerializationTests
{
    private const int Remotes = 40;

    [Fact]
    public async Task EspInitSerialization_TwoInitialPacketsOnTwoNodesAtOnce_OneIsBlocked()
    {
        await using var cluster = await TestCluster.StartAsync(2, "serial");
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        uint hostA = Ipv4Address.Parse("10.9.0.2");
        uint hostB = Ipv4Address.Parse("10.9.0.3");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Remotes).Select(async i =>
        {
            uint remote = Ipv4Address.Parse("203.0.113.1") + (uint)i;
            var now = ScenarioDriver.Now;
            var first = a.DecideAsync(TestFrames.EspFrame(hostA, remote, 0xA000u + (uint)i), outbound: true, now);
            var second = b.DecideAsync(TestFrames.EspFrame(hostB, remote, 0xB000u + (uint)i), outbound: true, now);
            return new[] { await first, await second };
        }));

        foreach (var pair in outcomes)
        {
            Assert.Single(pair, d => d.Action == "forward");
            Assert.Single(pair, d => d.Action == "drop" && d.Reason == "esp-init-blocked");
        }
    }
}
