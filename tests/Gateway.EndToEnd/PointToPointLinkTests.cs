using VpnMasq.EndToEnd.Support;
using Xunit;

namespace VpnMasq.EndToEnd;

/// <summary>
/// DESIGN §3.1: either link may be raw IP, the HOWTO's <c>ppp0</c>; the MTU is the link's own. The kernel here has
/// TUN but no PPP, so a point-to-point link is a TUN device at each end joined by scripts/e2e/tun-link.py: no link
/// header, no ARP, what libpcap shows for ppp0 or wg0 as well.
/// </summary>
public sealed class PointToPointLinkTests
{
    private const string PublicAddress = "200.200.200.200";

    [Fact]
    public void OutsideLinkRawIp_PingFromAnInsideClient_CrossesMasqueradedToThePublicAddress()
    {
        using var topology = OutsideOverPointToPoint();
        using var node = Vpnmasqd.StartOn(topology, "eth0", "ppp0");
        node.WaitForwarding();

        using var server = Tcpdump.Start(topology.Server, "ppp0", "icmp and src host 200.200.200.200");
        var ping = topology.TryIn(topology.Client1, "ping -c 3 -i 0.2 -W 3 199.0.0.1");

        Assert.True(ping.ExitCode == 0, $"ping over the raw-IP outside link failed:\n{ping}\n{node.Log}");
        Assert.Contains("200.200.200.200 > 199.0.0.1: ICMP echo request", server.FirstPacket());
        Assert.Contains("outside ppp0 (raw-ip, MTU 1500)", node.Log);
    }

    [Fact]
    public void OutsideLinkPpp_LinuxCookedCapture_PingFromAnInsideClient_CrossesMasqueradedToThePublicAddress()
    {
        // A TUN whose hardware type is PPP: libpcap captures it cooked (SLL), as it does a real pppd's ppp0.
        using var topology = OutsideOverPointToPoint("ppp");
        using var node = Vpnmasqd.StartOn(topology, "eth0", "ppp0");
        node.WaitForwarding();

        using var server = Tcpdump.Start(topology.Server, "ppp0", "icmp and src host 200.200.200.200");
        var ping = topology.TryIn(topology.Client1, "ping -c 3 -i 0.2 -W 3 199.0.0.1");

        Assert.True(ping.ExitCode == 0, $"ping over the cooked ppp outside link failed:\n{ping}\n{node.Log}");
        Assert.Contains("200.200.200.200 > 199.0.0.1: ICMP echo request", server.FirstPacket());
        Assert.Contains("outside ppp0 (linux-cooked, MTU 1500)", node.Log);
    }

    [Fact]
    public void OutsideLinkOfAnotherType_IsRefusedWithOneLine_BeforeTheNodeStarts()
    {
        using var topology = OutsideOverPointToPoint("ieee80211");
        using var node = Vpnmasqd.StartOn(topology, "eth0", "ppp0");

        Assert.True(node.WaitForExit(TimeSpan.FromSeconds(30)), node.Log);
        Assert.Equal(1, node.ExitCode);
        Assert.Equal(
            "vpnmasqd: interface ppp0 has libpcap link type Ieee80211 (105); vpnmasqd forwards on Ethernet, raw IP (ppp, tun, WireGuard) and Linux cooked links only",
            node.Log.Trim());
    }

    [Fact]
    public async Task OutsideLinkRawIp_StrongSwanTunnelFromAnInsideClient_ComesUpWithNatTAndCarriesPings()
    {
        using var topology = OutsideOverPointToPoint();
        using var node = Vpnmasqd.StartOn(topology, "eth0", "ppp0");
        node.WaitForwarding();
        string p = topology.Prefix;
        Shell.Run($"ss_server_up {p} srv && ss_client_up {p} c1 c1 2");

        string vip = await Task.Run(() => Shell.Run($"ss_initiate {p} c1 && echo $SS_VIP", TimeSpan.FromSeconds(60)).Trim());
        var ping = topology.TryIn(topology.Client1, $"ping -c 3 -i 0.2 -W 3 -I {vip} 192.168.100.1");

        Assert.True(ping.ExitCode == 0, $"ping through the tunnel over the raw-IP link failed:\n{ping}\n{node.Log}");
        string sas = Shell.Run($"ss_sas {p} srv");
        Assert.Contains($"@ {PublicAddress}[", sas); // the server sees the client at the public address…
        Assert.Contains("TUNNEL-in-UDP", sas);        // …behind a NAT: ESP in UDP 4500
    }

    [Fact]
    public void InsideLinkRawIp_PingFromTheClientBehindIt_CrossesMasqueradedOnTheEthernetOutside()
    {
        using var topology = Topology.Up();
        Shell.Run($"topo_inside_tun {topology.Prefix}");
        using var node = Vpnmasqd.StartOn(topology, "tun0", "eth1");
        node.WaitForwarding();

        using var server = Tcpdump.Start(topology.Server, "eth0", "icmp and src host 200.200.200.200");
        var ping = topology.TryIn(topology.Client1, "ping -c 3 -i 0.2 -W 3 199.0.0.1");

        Assert.True(ping.ExitCode == 0, $"ping from behind the raw-IP inside link failed:\n{ping}\n{node.Log}");
        Assert.Contains("200.200.200.200 > 199.0.0.1: ICMP echo request", server.FirstPacket());
        Assert.Contains("inside tun0 (10.0.0.1, raw-ip, MTU 1500)", node.Log);
    }

    [Fact]
    public void AutoPublicAddress_OnARawIpOutsideLink_FollowsTheLinksNewAddress()
    {
        using var topology = OutsideOverPointToPoint();
        using var node = Vpnmasqd.StartOn(topology, "eth0", "ppp0");
        node.WaitForwarding();
        topology.In(topology.Client1, "ping -c 1 -W 3 199.0.0.1");

        // What a PPP link does when it is dialled again: another local address, the same peer.
        topology.In(topology.Gateway, "sh -c 'ip addr del 200.200.200.200 peer 199.0.0.1 dev ppp0 && ip addr add 200.200.200.201 peer 199.0.0.1 dev ppp0 && ip route replace 199.0.0.0/24 dev ppp0'");
        Assert.True(node.WaitForLog("public address changed from 200.200.200.200 to 200.200.200.201", TimeSpan.FromSeconds(20)), node.Log);

        using var server = Tcpdump.Start(topology.Server, "ppp0", "icmp and src host 200.200.200.201");
        var ping = topology.TryIn(topology.Client1, "ping -c 3 -i 0.2 -W 3 199.0.0.1");
        Assert.True(ping.ExitCode == 0, $"ping after the address change failed:\n{ping}\n{node.Log}");
        Assert.Contains("200.200.200.201 > 199.0.0.1: ICMP echo request", server.FirstPacket());
    }

    [Fact]
    public void LinkMtu_ChangedWhileTheNodeRuns_IsFollowedWithinTwoSeconds_AndHealthShowsIt()
    {
        using var topology = OutsideOverPointToPoint();
        using var node = Vpnmasqd.StartOn(topology, "eth0", "ppp0");
        node.WaitForwarding();
        Assert.Contains("outside ppp0 raw-ip mtu 1500\n", node.Get("/healthz"));

        // A PPP link renegotiating its MTU.
        topology.In(topology.Gateway, "ip link set dev ppp0 mtu 1400");

        // Polled every second: two seconds leave one for a busy machine.
        Assert.True(node.WaitForLog("outside link ppp0 MTU 1500 -> 1400", TimeSpan.FromSeconds(2)), node.Log);
        Assert.Equal("ok\ninside eth0 ethernet mtu 1500\noutside ppp0 raw-ip mtu 1400\n", node.Get("/healthz"));
    }

    /// <summary>The usual topology with the gateway's outside link a raw-IP ppp0 straight to the server.</summary>
    private static Topology OutsideOverPointToPoint(string linkType = "")
    {
        var topology = Topology.Up();
        try
        {
            Shell.Run($"topo_outside_tun {topology.Prefix} {linkType}");
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }
}
