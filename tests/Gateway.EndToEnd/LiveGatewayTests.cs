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
    public void NextHopThatNeverAnswersArp_FramesWaitThenAreCountedAndLogged_NeverDroppedSilently()
    {
        using var topology = Topology.Up();
        // A port forward to an inside host that is not there: the frames for it wait for ARP that never answers.
        using var node = Vpnmasqd.Start(topology,
            "--Masquerade:PortForwards:0:Protocol=udp", "--Masquerade:PortForwards:0:PublicPort=5555", "--Masquerade:PortForwards:0:Target=10.0.0.99:5555");
        node.WaitForwarding();

        topology.In(topology.Server, "bash -c 'for i in 1 2 3; do echo probe > /dev/udp/200.200.200.200/5555; sleep 0.1; done'");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!node.Counters().TryGetProperty("drop:neighbour-unresolved", out _) && DateTime.UtcNow < deadline)
            Thread.Sleep(200);

        Assert.True(node.Counters().TryGetProperty("drop:neighbour-unresolved", out var unresolved), $"no neighbour-unresolved count:\n{node.Counters()}\n{node.Log}");
        Assert.Equal(3, unresolved.GetInt64());
        Assert.Contains("drop neighbour-unresolved: next hop 10.0.0.99 on eth0 did not answer ARP", node.Log);
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
