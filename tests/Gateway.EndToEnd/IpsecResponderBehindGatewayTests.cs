using VpnMasq.EndToEnd.Support;
using Xunit;
using Xunit.Abstractions;

namespace VpnMasq.EndToEnd;

/// <summary>
/// An IPsec server behind the gateway (DESIGN §3.5, HOWTO §2.8/§3.8): the public address forwards
/// UDP 500 and UDP 4500 to the server at 10.0.0.2, and IP protocol 50 (ESP) to the same host. The
/// client is on the Internet, at 199.0.0.1, and knows the server only as 200.200.200.200.
/// </summary>
public sealed class IpsecResponderBehindGatewayTests(ITestOutputHelper output)
{
    private static readonly string[] Forwards =
    [
        "--Masquerade:PortForwards:0:Protocol=udp", "--Masquerade:PortForwards:0:PublicPort=500", "--Masquerade:PortForwards:0:Target=10.0.0.2:500",
        // NAT-T: both ends see the NAT (the server's own address is not the one the client dialled) and move to 4500.
        "--Masquerade:PortForwards:1:Protocol=udp", "--Masquerade:PortForwards:1:PublicPort=4500", "--Masquerade:PortForwards:1:Target=10.0.0.2:4500",
        "--Masquerade:ProtocolForwards:0:Protocol=50", "--Masquerade:ProtocolForwards:0:Target=10.0.0.2",
    ];

    /// <summary>
    /// Real strongSwan: the responder in c1 offers its own address, 10.0.0.2/32, through the tunnel; the
    /// client in srv dials the public address and pings 10.0.0.2 from its virtual IP. strongSwan never
    /// sends raw ESP here (NAT-T, and 5.9.8's kernel-libipsec cannot): the ESP forward is exercised by
    /// the crafted-ESP test below.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void IpsecServerBehindTheGateway_ReachedFromTheInternet_ThroughUdp500PortForwardAndEspProtocolForward(int ikeVersion)
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology, Forwards);
        node.WaitForwarding();
        string p = topology.Prefix;
        const string Tunnel = "SS_SERVER_NET=10.0.0.2/32 SS_POOL=172.31.99.0/24";
        Shell.Run($"{Tunnel} ss_server_up {p} c1 && {Tunnel} SS_SERVER_ADDR=200.200.200.200 ss_client_up {p} srv remote {ikeVersion}");

        var initiate = Shell.Try($"ss_initiate {p} srv && echo $SS_VIP", TimeSpan.FromSeconds(60));
        Assert.True(initiate.ExitCode == 0, $"IKEv{ikeVersion} tunnel to 200.200.200.200 did not come up:\n{initiate}\n{Logs(topology)}\n{node.Log}");
        string vip = initiate.Output.Trim();
        var ping = topology.TryIn(topology.Server, $"ping -c 3 -i 0.2 -W 3 -I {vip} 10.0.0.2");
        string clientSas = Shell.Run($"ss_sas {p} srv");
        string serverSas = Shell.Run($"ss_sas {p} c1");
        var peer = Assert.Single(node.Table().EnumerateArray(), x => x.GetProperty("peer").GetString() == "199.0.0.1");
        output.WriteLine($"--- client (srv)\n{clientSas}--- server (c1)\n{serverSas}--- table\n{peer}\n--- counters\n{node.Counters()}");

        Assert.True(ping.ExitCode == 0, $"ping from {vip} through the tunnel to 10.0.0.2 failed:\n{ping}\n{clientSas}\n{serverSas}\n{node.Log}");
        // The client knows only the public address; the server sees the client's own address (a forward rewrites
        // the destination only), and both moved to 4500 with UDP-encapsulated ESP.
        Assert.Contains("remote 'server' @ 200.200.200.200[4500]", clientSas);
        Assert.Contains("remote 'remote' @ 199.0.0.1[4500]", serverSas);
        Assert.Contains("TUNNEL-in-UDP", serverSas);
        var natT = Assert.Single(peer.GetProperty("ports").EnumerateArray(), x => x.GetProperty("remotePort").GetInt32() == 4500);
        Assert.Equal("udp", natT.GetProperty("protocol").GetString());
        Assert.Equal("10.0.0.2:4500", natT.GetProperty("inside").GetString());
        Assert.Equal(4500, natT.GetProperty("publicPort").GetInt32());
        Assert.True(natT.GetProperty("viaForward").GetBoolean());
        // No raw ESP crossed the gateway: every ESP packet was inside UDP 4500.
        Assert.Empty(peer.GetProperty("esp").EnumerateArray());
    }

    /// <summary>
    /// The ESP protocol forward with crafted ESP (PEERS.md: no real peer sends raw ESP through a NAT): raw ESP
    /// from the Internet to the public address reaches 10.0.0.2, and its answers leave masqueraded.
    /// </summary>
    [Fact]
    public void RawEsp_ToThePublicAddress_ReachesTheHostBehindTheEspProtocolForward_AndItsRepliesGoBackMasqueraded()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology, Forwards);
        node.WaitForwarding();
        string p = topology.Prefix;

        Shell.Run($"source scripts/e2e/esp/esp.sh; esp_responder_up {p} c1 199.0.0.1 0.1 && " +
                  $"esp_sender_start {p} srv 0x5a5a0001 200.200.200.200 && esp_sender_go {p} srv", TimeSpan.FromSeconds(60));
        var sender = Shell.Try($"source scripts/e2e/esp/esp.sh; esp_sender_result {p} srv", TimeSpan.FromSeconds(60));
        string responder = File.ReadAllText(Path.Combine(topology.Directory, "esp", "c1.responder.out"));
        output.WriteLine($"--- sender in srv\n{sender.Output}--- responder in c1\n{responder}--- counters\n{node.Counters()}");

        Assert.True(sender.ExitCode == 0, $"no ESP reply from 200.200.200.200:\n{sender}\n{responder}\n{node.Log}");
        // The very first packet went through, with the client's own source address.
        Assert.Contains("request spi=5a5a0001 seq=1 from 199.0.0.1", responder);
        var peer = Assert.Single(node.Table().EnumerateArray(), x => x.GetProperty("peer").GetString() == "199.0.0.1");
        Assert.Contains(peer.GetProperty("esp").EnumerateArray(),
            e => e.GetProperty("inside").GetString() == "10.0.0.2" && e.GetProperty("outboundSpi").GetString() == "a5a50001");
    }

    private static string Logs(Topology topology) =>
        string.Join('\n', new[] { "c1", "srv" }.Select(ns =>
        {
            string path = Path.Combine(topology.Directory, ns, "charon.log");
            return $"--- {ns} charon.log (last 30 lines)\n" + (File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(30)) : "(none)");
        }));
}
