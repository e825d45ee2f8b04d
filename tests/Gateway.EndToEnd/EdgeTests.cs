using System.Diagnostics;
using VpnMasq.EndToEnd.Support;
using Xunit;

namespace VpnMasq.EndToEnd;

/// <summary>
/// The edge, live (DESIGN §3.1, §3.6): nothing reaches an inside host unasked, and the gateway answers as a router
/// does (Time Exceeded for traceroute, Fragmentation Needed for path-MTU discovery, REJECT as a reset).
/// </summary>
public sealed class EdgeTests
{
    private static readonly string[] HowtoMasqOnly =
        ["--Masquerade:Rules:0=-P forward DENY", "--Masquerade:Rules:1=-A forward -j MASQ -s 10.0.0.0/8 -d 0.0.0.0/0"];

    /// <summary>
    /// The server routes the private range at the gateway (a neighbour on the outside segment can) and sends three
    /// datagrams straight to 10.0.0.2; returns what a capture on that inside host saw of them.
    /// </summary>
    private static async Task<string> SendStraightToTheInsideHost(Topology topology)
    {
        topology.In(topology.Server, "ip route add 10.0.0.0/8 via 200.200.200.200");
        var capture = Task.Run(() => topology.TryIn(topology.Client1, "timeout 6 tcpdump -lni eth0 udp port 9999", TimeSpan.FromSeconds(20)));
        await Task.Delay(1500);
        topology.In(topology.Server, "bash -c 'for i in 1 2 3; do echo unsolicited > /dev/udp/10.0.0.2/9999; sleep 0.2; done'");
        return (await capture).Output;
    }

    [Fact]
    public async Task UnsolicitedInbound_ToAnInsideAddress_WithNoRules_ReachesNoInsideHost_AndIsCountedNoMapping()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology);
        node.WaitForwarding();

        var seen = await SendStraightToTheInsideHost(topology);

        Assert.DoesNotContain("9999", seen);
        Assert.True(node.Counters().GetProperty("drop:no-mapping").GetInt64() >= 3, node.Counters().ToString());
    }

    [Fact]
    public async Task UnsolicitedInbound_ToAnInsideAddress_WithTheHowtoRules_ReachesNoInsideHost()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology, HowtoMasqOnly);
        node.WaitForwarding();

        var seen = await SendStraightToTheInsideHost(topology);

        Assert.DoesNotContain("9999", seen);
    }

    [Fact]
    public async Task InboundToARoutedAddress_ThatTheForwardChainAccepts_IsDelivered()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology,
            [.. HowtoMasqOnly, "--Masquerade:Rules:2=-A forward -j ACCEPT -d 10.0.0.2/32", "--Masquerade:Routed:0=10.0.0.2"]);
        node.WaitForwarding();

        var seen = await SendStraightToTheInsideHost(topology);

        Assert.Contains("199.0.0.1", seen);
        Assert.Contains("10.0.0.2.9999", seen);
    }

    [Fact]
    public void PingWithTtlOne_ThroughTheGateway_GetsTimeExceededFromItsInsideAddress()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology);
        node.WaitForwarding();

        var probe = topology.TryIn(topology.Client1, "ping -c 1 -t 1 -W 3 199.0.0.1");

        Assert.Contains("From 10.0.0.1 icmp_seq=1 Time to live exceeded", probe.Output);
        Assert.True(node.Counters().GetProperty("icmp:sent").GetInt64() >= 1, node.Counters().ToString());
    }

    [Fact]
    public void RejectRule_ForTcp_RefusesTheConnectionAtOnce_WithAReset()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology,
            "--Masquerade:Rules:0=-A forward -j REJECT -p tcp -d 199.0.0.1/32 23", "--Masquerade:Rules:1=-A forward -j MASQ -s 10.0.0.0/8");
        node.WaitForwarding();

        var clock = Stopwatch.StartNew();
        var connect = topology.TryIn(topology.Client1, "timeout 10 bash -c 'exec 3<>/dev/tcp/199.0.0.1/23'");

        Assert.Contains("Connection refused", connect.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void DontFragmentPing_LargerThanTheOutsideLinkMtu_GetsFragmentationNeededWithThatMtu()
    {
        using var topology = Topology.Up();
        topology.In(topology.Gateway, "ip link set dev eth1 mtu 1400");
        using var node = Vpnmasqd.Start(topology);
        node.WaitForwarding();

        var ping = topology.TryIn(topology.Client1, "ping -c 2 -M do -s 1450 -W 3 199.0.0.1");
        var fits = topology.TryIn(topology.Client1, "ping -c 2 -M do -s 1300 -W 3 199.0.0.1");

        Assert.Contains("mtu = 1400", ping.Output);
        Assert.True(fits.ExitCode == 0, $"a ping that fits the link failed:\n{fits}\n{node.Log}");
    }
}
