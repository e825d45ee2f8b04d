using System.Text.Json;
using VpnMasq.EndToEnd.Support;
using Xunit;

namespace VpnMasq.EndToEnd;

/// <summary>
/// Real strongSwan (kernel-libipsec) peers through <c>vpnmasqd run</c> (DESIGN §3.2): two inside
/// clients, one IKEv2 and one IKEv1, to one server at the same time.
/// </summary>
public sealed class StrongSwanTests
{
    [Fact]
    public void Ikev2AndIkev1_FromTwoInsideClientsToOneServer_BothTunnelsUp_PingsCross_TableShowsIsakmpOn500AndNatT()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology);
        node.WaitForwarding();
        string p = topology.Prefix;
        Shell.Run($"ss_server_up {p} srv && ss_client_up {p} c1 c1 2 && ss_client_up {p} c2 c2 1");

        string vip1 = Shell.Run($"ss_initiate {p} c1 && echo $SS_VIP", TimeSpan.FromSeconds(60)).Trim();
        string vip2 = Shell.Run($"ss_initiate {p} c2 && echo $SS_VIP", TimeSpan.FromSeconds(60)).Trim();

        foreach (var (client, vip) in new[] { (topology.Client1, vip1), (topology.Client2, vip2) })
        {
            var ping = topology.TryIn(client, $"ping -c 3 -i 0.2 -W 3 -I {vip} 192.168.100.1");
            Assert.True(ping.ExitCode == 0, $"ping through the tunnel from {client} ({vip}) failed:\n{ping}\n{node.Log}");
        }

        var peer = Assert.Single(node.Table().EnumerateArray(), x => x.GetProperty("peer").GetString() == "199.0.0.1");
        var isakmp = peer.GetProperty("isakmp").EnumerateArray().Select(x => x.GetProperty("inside").GetString()).Distinct().Order();
        Assert.Equal(["10.0.0.2", "10.0.0.3"], isakmp);

        // NAT-T moved both to UDP 4500, masqueraded with port translation: one client keeps 4500, the other gets another port.
        var natT = peer.GetProperty("ports").EnumerateArray()
            .Where(x => x.GetProperty("protocol").GetString() == "udp" && x.GetProperty("remotePort").GetInt32() == 4500)
            .ToList();
        Assert.Equal(["10.0.0.2:4500", "10.0.0.3:4500"], natT.Select(x => x.GetProperty("inside").GetString()).Order());
        Assert.Equal(2, natT.Select(x => x.GetProperty("publicPort").GetInt32()).Distinct().Count());

        // The server sees both at the public address, on 4500 (UDP-encapsulated ESP).
        string sas = Shell.Run($"ss_sas {p} srv");
        Assert.Equal(2, sas.Split('\n').Count(l => l.Contains("remote", StringComparison.Ordinal) && l.Contains("@ 200.200.200.200[", StringComparison.Ordinal)));
        Assert.Contains("TUNNEL-in-UDP", sas);
    }
}
