using System.Diagnostics;
using VpnMasq.EndToEnd.Support;
using Xunit;

namespace VpnMasq.EndToEnd;

/// <summary>DESIGN §3.7 (public address "auto") and the node's signal handling, live.</summary>
public sealed class PublicAddressAndSignalTests
{
    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public async Task AutoPublicAddress_FollowsTheOutsideInterface_OldMappingsCloseAndNewTrafficUsesTheNewAddress()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology);
        node.WaitForwarding();
        topology.In(topology.Client1, "ping -c 2 -W 3 199.0.0.1");
        Assert.Contains("200.200.200.200", topology.In(topology.Gateway, "nft list table inet vpnmasq"));

        topology.In(topology.Gateway, "ip addr del 200.200.200.200/24 dev eth1");
        topology.In(topology.Gateway, "ip addr add 200.200.200.201/24 dev eth1");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!node.Log.Contains("public address changed", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            Thread.Sleep(200);
        Assert.Contains("public address changed from 200.200.200.200 to 200.200.200.201", node.Log);

        // The server now sees the new address, and the kernel guard protects it instead of the old one.
        var capture = Task.Run(() => topology.TryIn(topology.Server, "timeout 10 tcpdump -lni eth0 -c 1 icmp and src 200.200.200.201", TimeSpan.FromSeconds(20)));
        await Task.Delay(1000);
        var ping = topology.TryIn(topology.Client1, "ping -c 3 -W 3 199.0.0.1");
        Assert.True(ping.ExitCode == 0, $"ping after the address change failed:\n{ping}\n{node.Log}");
        Assert.Contains("200.200.200.201 > 199.0.0.1", (await capture).Output);
        Assert.Contains("200.200.200.201", topology.In(topology.Gateway, "nft list table inet vpnmasq"));
    }

    [Fact]
    public void SecondSigterm_ExitsAtOnce()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology);
        node.WaitForwarding();
        // Two signals a moment apart, as an impatient operator sends them (back to back, the kernel merges them).
        Assert.Equal(0, Kill(node.Pid, SigTerm));
        Thread.Sleep(300);
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, Kill(node.Pid, SigTerm));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!node.HasExited && DateTime.UtcNow < deadline)
            Thread.Sleep(20);

        Assert.True(node.HasExited, "a second SIGTERM did not stop the node");
        Assert.Equal(128 + 15, node.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.DoesNotContain("vpnmasq", topology.In(topology.Gateway, "nft list tables")); // even now the kernel is left as found
    }

    [Fact]
    public void Sigterm_WhileStillJoiningTheCluster_ExitsZero_AndRemovesTheKernelTable()
    {
        using var topology = Topology.Up();
        // A seed nobody answers: the node waits to join, as one does while its cluster is down.
        using var node = Vpnmasqd.Start(topology, "--Cluster:Seeds:0=127.0.0.1:9");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!node.Log.Contains("vpnmasqd: inside", StringComparison.Ordinal) && !node.HasExited && DateTime.UtcNow < deadline)
            Thread.Sleep(100);
        Assert.Contains("vpnmasqd: inside", node.Log);
        Assert.Contains("vpnmasq", topology.In(topology.Gateway, "nft list tables"));

        Assert.Equal(0, node.Stop());

        Assert.DoesNotContain("vpnmasq", topology.In(topology.Gateway, "nft list tables"));
        Assert.DoesNotContain("Unhandled exception", node.Log);
        Assert.DoesNotContain("vpnmasqd: forwarding", node.Log);
    }
}
