using VpnMasq.EndToEnd.Support;
using Xunit;

namespace VpnMasq.EndToEnd;

/// <summary>
/// The host kernel must not answer traffic to the public address that vpnmasqd handles (no RST, no
/// port- or protocol-unreachable, also for GRE and ESP), nor forward inside traffic itself.
/// </summary>
public sealed class KernelGuardTests
{
    private static string Probe => "/usr/bin/python3 " + Path.Combine(Repository.Scripts, "e2e", "probe-public.py");

    [Fact]
    public void WithVpnmasqd_TheKernelAnswersNothingSentToThePublicAddress_WhereWithoutItItDoes()
    {
        using var topology = Topology.Up();

        // Baseline: a plain host with that address answers (port/protocol unreachable, RST).
        string bare = topology.In(topology.Server, Probe, TimeSpan.FromSeconds(30));

        using var node = Vpnmasqd.Start(topology);
        node.WaitForwarding();
        string guarded = topology.In(topology.Server, Probe, TimeSpan.FromSeconds(30));

        Assert.Contains("udp answered", bare);
        Assert.Contains("tcp answered", bare);
        foreach (var kind in new[] { "udp", "tcp", "esp", "gre" })
            Assert.Contains($"{kind} silent", guarded);
        Assert.True(node.Counters().TryGetProperty("drop:no-mapping", out var drops) && drops.GetInt64() >= 4,
            $"vpnmasqd did not count the probes as no-mapping drops: {node.Counters()}");
    }
}
