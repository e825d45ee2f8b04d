using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using VpnMasq.EndToEnd.Support;
using VpnMasq.Tests.Shared;
using Xunit;
using Xunit.Abstractions;

namespace VpnMasq.EndToEnd;

/// <summary>
/// DESIGN §1 "The table survives failover", live: two vpnmasqd nodes on the same inside and outside
/// links share a PostgreSQL journal; sessions come up through node 1; node 1's host dies and its
/// addresses move to node 2 as VRRP would; the sessions keep passing traffic without renegotiating.
/// </summary>
public sealed partial class FailoverTests(ITestOutputHelper output)
{
    private const int PingIntervalMs = 50;

    [Fact]
    public async Task TwoNodes_Node1Dies_AddressesMoveToNode2_StrongSwanAndPptpSessionsKeepPassingTraffic_WithoutRenegotiating()
    {
        await using var database = await PostgresDatabase.CreateAsync("vpnmasq_e2e_pair");
        // The nodes live in other network namespaces: they reach the server through its unix socket.
        string journal = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "/var/tmp/vpnmasq-pg/run" }.ConnectionString;
        using var topology = Topology.Up();
        string p = topology.Prefix;
        Shell.Run($"pair_up {p}");
        try
        {
            string[] cluster =
            [
                "--Persistence:Provider=postgresql", $"--Persistence:ConnectionString={journal}", "--Cluster:ExpectedNodes=2",
                "--Cluster:StableAfter=00:00:04", "--Cluster:HeartbeatPause=00:00:02", "--Cluster:Port=4053",
                "--Cluster:Seeds:0=10.0.0.11:4053", "--Masquerade:PublicAddress=200.200.200.200",
            ];
            using var node1 = Vpnmasqd.StartIn(topology, topology.Gateway, "node1", [.. cluster, "--Cluster:Hostname=10.0.0.11"]);
            node1.WaitForwarding(TimeSpan.FromSeconds(90));
            using var node2 = Vpnmasqd.StartIn(topology, p + "-gw2", "node2", [.. cluster, "--Cluster:Hostname=10.0.0.12"]);
            node2.WaitForwarding(TimeSpan.FromSeconds(90));
            await WaitFor(() => JsonDocument.Parse(node1.Get("/members")).RootElement.EnumerateArray().Count(m => m.GetProperty("status").GetString() == "Up") == 2,
                "two members up", node1);

            // Sessions through node 1 (it holds the VIPs): IPsec from c1, PPTP from c2.
            Shell.Run($"ss_server_up {p} srv && ss_client_up {p} c1 c1 2");
            string vip = Shell.Run($"ss_initiate {p} c1 && echo $SS_VIP", TimeSpan.FromSeconds(60)).Trim();
            Shell.Run($"pptp_server_up {p} {p}-srv 192.168.200.1 192.168.200.10-19 >/dev/null");
            string tunnel = Shell.Run($"pptp_client_up {p} {p}-c2 199.0.0.1 c2", TimeSpan.FromSeconds(60)).Trim();
            topology.In(topology.Client1, $"ping -c 2 -W 2 -I {vip} 192.168.100.1");
            topology.In(topology.Client2, $"ping -c 2 -W 2 -I {tunnel} 192.168.200.1");
            string spisBefore = Spis(Shell.Run($"ss_sas {p} srv"));
            await WaitFor(() => JsonDocument.Parse(node2.Get("/flows")).RootElement.GetProperty("peers").GetInt32() >= 1,
                "node 2's flow cache holds the server's flows", node2);

            // Steady traffic through both tunnels while node 1's host dies and node 2 takes its addresses.
            var ipsec = Task.Run(() => topology.TryIn(topology.Client1, $"ping -n -c 300 -i 0.05 -W 1 -I {vip} 192.168.100.1", TimeSpan.FromSeconds(60)));
            var pptp = Task.Run(() => topology.TryIn(topology.Client2, $"ping -n -c 300 -i 0.05 -W 1 -I {tunnel} 192.168.200.1", TimeSpan.FromSeconds(60)));
            await Task.Delay(3000);
            node1.Kill();
            Shell.Run($"pair_failover {p}");
            var ipsecPings = await ipsec;
            var pptpPings = await pptp;

            var (ipsecLost, ipsecLastLoss) = Losses(ipsecPings.Output);
            var (pptpLost, pptpLastLoss) = Losses(pptpPings.Output);
            output.WriteLine($"IPsec (IKEv2, NAT-T) through the failover: {ipsecLost} of 300 pings lost = {ipsecLost * PingIntervalMs} ms outage");
            output.WriteLine($"PPTP (GRE) through the failover: {pptpLost} of 300 pings lost = {pptpLost * PingIntervalMs} ms outage");
            Assert.True(ipsecLastLoss < 280 && pptpLastLoss < 280,
                $"traffic did not resume through node 2:\n{ipsecPings.Output[^Math.Min(600, ipsecPings.Output.Length)..]}\n{pptpPings.Output[^Math.Min(600, pptpPings.Output.Length)..]}\n{node2.Log}");
            Assert.True(ipsecLost * PingIntervalMs < 10_000 && pptpLost * PingIntervalMs < 10_000, $"outage too long: {ipsecLost}, {pptpLost} pings");

            // No renegotiation: the same ESP SAs, the same single PPTP call.
            Assert.Equal(spisBefore, Spis(Shell.Run($"ss_sas {p} srv")));
            Assert.Equal(1, Regex.Count(File.ReadAllText($"/tmp/vpnmasq-pptp/{p}/{p}-c2/client-c2/ppp.log"), "IPCP up"));
        }
        finally
        {
            Shell.Try($"pair_down {p}");
        }
    }

    /// <summary>How many echo replies are missing, and the last sequence number that went unanswered.</summary>
    private static (int Lost, int LastLoss) Losses(string pingOutput)
    {
        var answered = SequenceNumber().Matches(pingOutput).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var lost = Enumerable.Range(1, 300).Where(s => !answered.Contains(s)).ToList();
        return (lost.Count, lost.Count == 0 ? 0 : lost.Max());
    }

    private static string Spis(string sas) => string.Join(' ', SpiLine().Matches(sas).Select(m => m.Groups[1].Value).Order());

    private static async Task WaitFor(Func<bool> condition, string what, Vpnmasqd node)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (condition())
                    return;
            }
            catch (InvalidOperationException)
            {
                // the API is not answering yet
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not within 60 s: {what}\n{node.Log}");
            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"icmp_seq=(\d+)")]
    private static partial Regex SequenceNumber();

    [GeneratedRegex(@"\b(?:in|out)\s+([0-9a-f]{8}),")]
    private static partial Regex SpiLine();
}
