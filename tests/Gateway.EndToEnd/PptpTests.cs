using VpnMasq.EndToEnd.Support;
using Xunit;

namespace VpnMasq.EndToEnd;

/// <summary>
/// Real PPTP sessions (pptpd, pptp-linux, scripts/pptp/ppp-standin.py in place of pppd) through
/// <c>vpnmasqd run</c>: Call-ID masquerade for inside clients (DESIGN §3.4), and an inside server
/// reached through a TCP 1723 port forward and a GRE protocol forward (§3.5).
/// </summary>
public sealed class PptpTests
{
    private const string ServerTunnel = "192.168.200.1";
    private const string InsideServerTunnel = "192.168.201.1";
    private const ushort SharedCallId = 0x1234;
    private const ushort OutsideClientCallId = 0x4321;

    [Fact]
    public async Task TwoInsideClients_ToOnePptpServer_AtOnce_BothCallsUp_DistinctCallIdsOutside_PingsCrossEachTunnel()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(topology);
        using var pptp = new PptpPeers(topology);
        node.WaitForwarding();
        pptp.ServerUp(topology.Server, ServerTunnel, "192.168.200.10-19");

        // Both at once, and with the same Call ID: each client's call manager opens its control
        // connection and sends its Outgoing-Call-Request while the other's is in flight.
        var first = Task.Run(() => pptp.ClientUp(topology.Client1, "199.0.0.1", "c1", SharedCallId));
        var second = Task.Run(() => pptp.ClientUp(topology.Client2, "199.0.0.1", "c2", SharedCallId));
        string[] addresses = await Task.WhenAll(first, second);

        Assert.NotEqual(addresses[0], addresses[1]);
        foreach (var (client, address) in new[] { (topology.Client1, addresses[0]), (topology.Client2, addresses[1]) })
        {
            var ping = topology.TryIn(client, $"ping -c 3 -i 0.2 -W 3 -I {address} {ServerTunnel}");
            Assert.True(ping.ExitCode == 0, $"ping through the PPTP tunnel from {client} ({address}) failed:\n{ping}\n{pptp.Logs()}\n{node.Log}");
        }

        var peer = Assert.Single(node.Table().EnumerateArray(), x => x.GetProperty("peer").GetString() == "199.0.0.1");
        var calls = peer.GetProperty("pptp").EnumerateArray().OrderBy(x => x.GetProperty("inside").GetString()).ToList();
        Assert.Equal(["10.0.0.2", "10.0.0.3"], calls.Select(x => x.GetProperty("inside").GetString()));

        // Both clients really sent the same Call ID; towards the server they differ.
        Assert.All(calls, c => Assert.Equal(SharedCallId, c.GetProperty("callId").GetInt32()));
        Assert.NotEqual(calls[0].GetProperty("masqueradedCallId").GetInt32(), calls[1].GetProperty("masqueradedCallId").GetInt32());

        // vpnmasqd learned the server's own ID of each call from its Outgoing-Call-Reply. pptpd numbers
        // calls per control connection (the first connection's call is 0), so the two differ.
        Assert.NotEqual(calls[0].GetProperty("peerCallId").GetInt32(), calls[1].GetProperty("peerCallId").GetInt32());

        // Both control connections are masqueraded towards the server, one per inside client.
        var control = peer.GetProperty("ports").EnumerateArray()
            .Where(x => x.GetProperty("protocol").GetString() == "tcp" && x.GetProperty("remotePort").GetInt32() == 1723);
        Assert.Equal(["10.0.0.2", "10.0.0.3"], control.Select(x => x.GetProperty("inside").GetString()!.Split(':')[0]).Order());
    }

    [Fact]
    public void PptpServerBehindTheGateway_ReachedFromTheInternet_ThroughTcp1723PortForwardAndGreProtocolForward()
    {
        using var topology = Topology.Up();
        using var node = Vpnmasqd.Start(
            topology,
            "--Masquerade:PortForwards:0:Protocol=tcp",
            "--Masquerade:PortForwards:0:PublicPort=1723",
            "--Masquerade:PortForwards:0:Target=10.0.0.2:1723",
            "--Masquerade:ProtocolForwards:0:Protocol=47",
            "--Masquerade:ProtocolForwards:0:Target=10.0.0.2");
        using var pptp = new PptpPeers(topology);
        node.WaitForwarding();
        pptp.ServerUp(topology.Client1, InsideServerTunnel, "192.168.201.10-19");

        string address = pptp.ClientUp(topology.Server, "200.200.200.200", "srv", OutsideClientCallId);

        var ping = topology.TryIn(topology.Server, $"ping -c 3 -i 0.2 -W 3 -I {address} {InsideServerTunnel}");
        Assert.True(ping.ExitCode == 0, $"ping through the PPTP tunnel to the inside server failed:\n{ping}\n{pptp.Logs()}\n{node.Log}");

        var peer = Assert.Single(node.Table().EnumerateArray(), x => x.GetProperty("peer").GetString() == "199.0.0.1");
        var forwarded = Assert.Single(peer.GetProperty("ports").EnumerateArray(), x => x.GetProperty("viaForward").GetBoolean());
        Assert.Equal("10.0.0.2:1723", forwarded.GetProperty("inside").GetString());
        Assert.Equal(1723, forwarded.GetProperty("publicPort").GetInt32());

        // The inside server's own Call ID is the one masqueraded; the outside client's passes as its peer's.
        var call = Assert.Single(peer.GetProperty("pptp").EnumerateArray());
        Assert.Equal("10.0.0.2", call.GetProperty("inside").GetString());
        Assert.Equal(OutsideClientCallId, call.GetProperty("peerCallId").GetInt32());
    }
}
