using VpnMasq.EndToEnd.Support;
using Xunit;

namespace VpnMasq.EndToEnd;

/// <summary>
/// Drops reach the log at the default level, once per peer and reason within the throttle's ten seconds,
/// and <c>Logging:LogLevel:VpnMasq.Drops</c> silences them alone (issue 10, DESIGN §3.1, §5.3).
/// </summary>
public sealed class DropLogTests
{
    private const int Datagrams = 5;
    private const string NoMappingLine = "drop no-mapping: inbound udp peer 199.0.0.1";

    [Fact]
    public void UnsolicitedDatagrams_FromOnePeer_AreOneNoMappingLineNamingThePeer()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology);
        node.WaitForwarding();

        SendUnsolicitedDatagrams(topology, node);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!node.Log.Contains(NoMappingLine, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            Thread.Sleep(100);

        var lines = node.Log.Split('\n').Where(l => l.Contains(NoMappingLine, StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, $"{lines.Count} no-mapping lines for {Datagrams} drops:\n{node.Log}");
        Assert.Contains(" info: VpnMasq.Drops", lines[0]);
    }

    [Fact]
    public void DropsCategoryAtWarning_SilencesTheNoMappingLine()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology, "--Logging:LogLevel:VpnMasq.Drops=Warning");
        node.WaitForwarding();

        SendUnsolicitedDatagrams(topology, node);
        Thread.Sleep(1000); // what the console logger had queued is written by now

        Assert.DoesNotContain("drop no-mapping", node.Log);
        Assert.Contains("vpnmasqd: forwarding", node.Log); // the rest of the log is still there
    }

    /// <summary>UDP to a public port nothing inside asked for and no forward names; returns once all are counted.</summary>
    private static void SendUnsolicitedDatagrams(Topology topology, Vpnmasqd node)
    {
        topology.In(topology.Server, $"bash -c 'for i in $(seq {Datagrams}); do echo probe > /dev/udp/200.200.200.200/5555; done'");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        long dropped = 0;
        while (dropped < Datagrams && DateTime.UtcNow < deadline)
        {
            dropped = node.Counters().TryGetProperty("drop:no-mapping", out var count) ? count.GetInt64() : 0;
            Thread.Sleep(100);
        }

        Assert.True(dropped >= Datagrams, $"{dropped} no-mapping drops counted for {Datagrams} datagrams:\n{node.Counters()}\n{node.Log}");
    }
}
