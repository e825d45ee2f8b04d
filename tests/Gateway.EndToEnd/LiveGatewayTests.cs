using VpnMasq.EndToEnd.Support;
using Xunit;

namespace VpnMasq.EndToEnd;

/// <summary><c>vpnmasqd run</c> on real namespace interfaces: forwarding, kernel guard, clean start and stop.</summary>
public sealed class LiveGatewayTests
{
    [Fact]
    public void Run_PingFromInside_IsMasqueradedToThePublicAddress_AndTheReplyComesBack()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology);
        node.WaitForwarding();

        var ping = topology.TryIn(topology.Client1, "ping -c 3 -W 3 199.0.0.1");

        Assert.True(ping.ExitCode == 0, $"ping through vpnmasqd failed:\n{ping}\n{node.Log}");
        Assert.Contains("ttl=63", ping.Output); // the gateway is a hop: the reply's TTL 64 went down by one
        var peer = Assert.Single(node.Table().EnumerateArray(), p => p.GetProperty("peer").GetString() == "199.0.0.1");
        Assert.Equal("10.0.0.2", Assert.Single(peer.GetProperty("icmp").EnumerateArray()).GetProperty("inside").GetString());
    }

    [Fact]
    public void NextHopMacChange_WithoutAWord_IsFollowedWithinTheReachableTime()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology, "--Capture:NeighbourReachableSeconds=2");
        node.WaitForwarding();
        topology.In(topology.Client1, "ping -c 2 -W 3 199.0.0.1"); // the server's MAC is known and in use

        // The server's NIC is swapped: a new MAC, and no gratuitous ARP (arp_notify is off by default).
        topology.In(topology.Server, "ip link set dev eth0 address 02:00:00:00:99:99");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool through = false;
        while (!through && clock.Elapsed < TimeSpan.FromSeconds(20))
            through = topology.TryIn(topology.Client1, "ping -c 1 -W 1 199.0.0.1").ExitCode == 0;

        // Reachable time 2 s, then an ARP probe each second until the new address answers.
        Assert.True(through && clock.Elapsed < TimeSpan.FromSeconds(6),
            $"pings got through again after {clock.Elapsed.TotalSeconds:F1} s (through: {through})\n{node.Log}");
    }

    [Fact]
    public void Run_Sigterm_LeavesCleanlyWithExitCode0_AndRemovesItsKernelRules()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology);
        node.WaitForwarding();
        Assert.Contains("table inet vpnmasq", topology.In(topology.Gateway, "nft list tables"));

        int exit = node.Stop();

        Assert.True(exit == 0, $"exit {exit}:\n{node.Log}");
        Assert.DoesNotContain("vpnmasq", topology.In(topology.Gateway, "nft list tables"));
    }

    [Fact]
    public void Run_WithoutManageKernel_WhenTheKernelWouldForward_RefusesToStartWithAOneLineReason()
    {
        using var topology = Topology.Up();
        topology.In(topology.Gateway, "sysctl -qw net.ipv4.conf.eth1.forwarding=1");

        var result = topology.TryIn(topology.Gateway,
            $"dotnet {Repository.Vpnmasqd} run --inside eth0 --outside eth1 --Masquerade:PublicAddress=auto --Cluster:Port=0 " +
            $"--Node:DataDir={topology.Directory}/refused", TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("forwarding is on for eth1", line);
        Assert.Contains("--manage-kernel", line);
    }

    [Fact]
    public void Run_MissingInterface_RefusesToStartWithAOneLineReason()
    {
        using var topology = Topology.Up();

        var result = topology.TryIn(topology.Gateway,
            $"dotnet {Repository.Vpnmasqd} run --inside eth0 --outside eth9 --Masquerade:PublicAddress=auto --manage-kernel --Cluster:Port=0",
            TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("interface eth9 does not exist", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
