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
    public async Task Ikev2AndIkev1_FromTwoInsideClientsToOneServer_BothTunnelsUp_PingsCross_TableShowsIsakmpOn500AndNatT()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology);
        node.WaitForwarding();
        string p = topology.Prefix;
        Shell.Run($"ss_server_up {p} srv && ss_client_up {p} c1 c1 2 && ss_client_up {p} c2 c2 1");

        // What the server receives on UDP 500 while both negotiate: the gateway's address, source port 500 kept.
        var ike500 = Task.Run(() => topology.TryIn(topology.Server,
            "timeout 60 tcpdump -lni eth0 -c 3 'udp and src host 200.200.200.200 and dst port 500'", TimeSpan.FromSeconds(70)));
        await Task.Delay(1000);

        // Both clients negotiate at once.
        var initiations = new[] { "c1", "c2" }.Select(c => Task.Run(() => Shell.Run($"ss_initiate {p} {c} && echo $SS_VIP", TimeSpan.FromSeconds(60)).Trim())).ToArray();
        string vip1 = await initiations[0];
        string vip2 = await initiations[1];

        foreach (var (client, vip) in new[] { (topology.Client1, vip1), (topology.Client2, vip2) })
        {
            var ping = topology.TryIn(client, $"ping -c 3 -i 0.2 -W 3 -I {vip} 192.168.100.1");
            Assert.True(ping.ExitCode == 0, $"ping through the tunnel from {client} ({vip}) failed:\n{ping}\n{node.Log}");
        }

        var peer = Assert.Single(node.Table().EnumerateArray(), x => x.GetProperty("peer").GetString() == "199.0.0.1");
        var isakmp = peer.GetProperty("isakmp").EnumerateArray().ToList();
        Assert.Equal(["10.0.0.2", "10.0.0.3"], isakmp.Select(x => x.GetProperty("inside").GetString()).Distinct().Order());
        Assert.All(isakmp, x => Assert.Equal(500, x.GetProperty("publicPort").GetInt32()));
        var seen = (await ike500).Output.Split('\n').Where(l => l.Contains(" > ", StringComparison.Ordinal)).ToList();
        Assert.True(seen.Count == 3, $"the server saw {seen.Count} IKE packets from the public address:\n{string.Join('\n', seen)}");
        Assert.All(seen, l => Assert.Contains("200.200.200.200.500 > 199.0.0.1.500", l, StringComparison.Ordinal));

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
