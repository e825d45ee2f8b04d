using System.Text.Json;
using System.Text.RegularExpressions;
using VpnMasq.EndToEnd.Support;
using Xunit;
using Xunit.Abstractions;

namespace VpnMasq.EndToEnd;

/// <summary>
/// Raw ESP (IP protocol 50) from two inside hosts to one remote host (DESIGN §3.3, HOWTO §6.2),
/// through <c>vpnmasqd run</c> and, as the baseline, through the kernel's nftables masquerade.
/// Real peers never send raw ESP through a NAT (PEERS.md), so scripts/e2e/esp/ crafts it: a
/// responder on the server answers every ESP packet after 1 s with the request's SPI XOR
/// 0xFFFF0000; each inside host sends its initial packet, then retries every 0.5 s (10 in all)
/// until its own reply arrives. c2 starts right after c1's initial packet is out, so it meets
/// c1's association while that is still outstanding.
/// </summary>
public sealed class RawEspTests(ITestOutputHelper output)
{
    private const uint Spi1 = 0x11110001;
    private const uint Spi2 = 0x22220002;
    private const uint ReplyMask = 0xFFFF0000;

    [Fact]
    public void RawEsp_FromTwoInsideHostsToOneResponder_BothGetTheirReplies_ThroughVpnmasqd_WhereTheKernelMasqueradeDropsTheSecond()
    {
        // Through vpnmasqd. Parallel sessions (HOWTO §3.4 PAROK) on: off, the default, refuses c2 once c1 holds an association.
        EspExchange throughVpnmasqd;
        JsonElement peer;
        IReadOnlyDictionary<string, long> counters;
        string log;
        using (var topology = Topology.Up())
        using (var node = Vpnmasqd.Start(topology, "--Masquerade:Esp:ParallelSessions=true"))
        {
            node.WaitForwarding();
            throughVpnmasqd = TwoHostsOneAfterTheOther(topology);
            peer = Assert.Single(node.Table().EnumerateArray(), x => x.GetProperty("peer").GetString() == "199.0.0.1").Clone();
            counters = node.Counters().EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt64());
            log = node.Log;
        }

        // The baseline: the kernel's masquerade in the same topology.
        EspExchange throughKernel;
        string conntrackStats;
        using (var topology = Topology.Up())
        {
            Shell.Run($"topo_kernel_nat {topology.Prefix}");
            throughKernel = TwoHostsOneAfterTheOther(topology);
            conntrackStats = topology.In(topology.Gateway, "conntrack -S");
        }

        output.WriteLine($"=== through vpnmasqd\n{throughVpnmasqd}\n--- counters\n{string.Join('\n', counters.Select(c => $"{c.Key} {c.Value}"))}");
        output.WriteLine($"=== through the kernel masquerade\n{throughKernel}\n--- conntrack -S\n{conntrackStats}");
        string context = $"{throughVpnmasqd}\n{throughKernel}\n--- vpnmasqd log\n{log}";

        // vpnmasqd: both hosts get their replies.
        Assert.True(throughVpnmasqd.First.ExitCode == 0, "c1 got no reply through vpnmasqd:\n" + context);
        Assert.True(throughVpnmasqd.Second.ExitCode == 0, "c2 got no reply through vpnmasqd:\n" + context);
        // ... serialized: c2's initial packet (seq 1) was held back while c1's association was outstanding; a
        // retry reached the server only after the server had answered c1.
        Assert.DoesNotContain(1, throughVpnmasqd.SequencesSeenByServer(Spi2));
        Assert.True(
            throughVpnmasqd.FirstLineAt($"request spi={Spi2:x8}") > throughVpnmasqd.FirstLineAt($"reply spi={Spi1 ^ ReplyMask:x8}"),
            "c2's ESP reached the server before c1's association was answered:\n" + context);
        Assert.True(counters.GetValueOrDefault("drop:esp-init-blocked") >= 1, "no esp-init-blocked drop counted:\n" + context);
        // ... and the table holds both associations with the server, each with its own SPI pair.
        var esp = peer.GetProperty("esp").EnumerateArray()
            .Select(e => $"{e.GetProperty("inside").GetString()} {e.GetProperty("outboundSpi").GetString()}/{e.GetProperty("inboundSpi").GetString()} outstanding={e.GetProperty("outstanding").GetBoolean()}")
            .Order();
        Assert.Equal(
            [$"10.0.0.2 {Spi1:x8}/{Spi1 ^ ReplyMask:x8} outstanding=False", $"10.0.0.3 {Spi2:x8}/{Spi2 ^ ReplyMask:x8} outstanding=False"],
            esp);

        // The kernel masquerade: c1 gets its reply, c2's ESP never leaves the gateway (same generic-protocol
        // conntrack tuple 200.200.200.200 -> 199.0.0.1 as c1's: insert_failed, PEERS.md).
        Assert.True(throughKernel.First.ExitCode == 0, "c1 got no reply through the kernel masquerade:\n" + context);
        Assert.True(throughKernel.Second.ExitCode != 0, "c2 got a reply through the kernel masquerade:\n" + context);
        Assert.Empty(throughKernel.SequencesSeenByServer(Spi2));
        Assert.Matches(@"insert_failed=[1-9]", conntrackStats);
    }

    /// <summary>Responder up in srv; c1 sends first, c2 as soon as c1's initial packet is out; both run to the end.</summary>
    private static EspExchange TwoHostsOneAfterTheOther(Topology topology)
    {
        string p = topology.Prefix;
        // Both hosts reach the server first. Through vpnmasqd this also starts the server's peer entity, whose
        // start (shard allocation, journal) took up to 0.8 s here: charged to c1's initial packet, it would eat
        // into c1's InitRetries while its association is outstanding. Real ESP always follows IKE anyway.
        topology.In(topology.Client1, "ping -q -c 1 -W 5 199.0.0.1");
        topology.In(topology.Client2, "ping -q -c 1 -W 5 199.0.0.1");
        Shell.Run($"source scripts/e2e/esp/esp.sh; esp_responder_up {p} srv 200.200.200.200 1 && " +
                  $"esp_sender_start {p} c1 0x{Spi1:x8} && esp_sender_start {p} c2 0x{Spi2:x8} && " +
                  $"esp_sender_go {p} c1 && esp_sender_wait_sent {p} c1 && esp_sender_go {p} c2", TimeSpan.FromSeconds(60));
        var first = Shell.Try($"source scripts/e2e/esp/esp.sh; esp_sender_result {p} c1", TimeSpan.FromSeconds(60));
        var second = Shell.Try($"source scripts/e2e/esp/esp.sh; esp_sender_result {p} c2", TimeSpan.FromSeconds(60));
        string responder = File.ReadAllText(Path.Combine(topology.Directory, "esp", "srv.responder.out"));
        return new EspExchange(first, second, responder);
    }

    private sealed record EspExchange(Shell.Result First, Shell.Result Second, string Responder)
    {
        private string[] ResponderLines => Responder.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        /// <summary>ESP sequence numbers of the requests with <paramref name="spi"/> that reached the server.</summary>
        public List<int> SequencesSeenByServer(uint spi) =>
            ResponderLines.Select(l => Regex.Match(l, $@"^request spi={spi:x8} seq=(\d+) "))
                .Where(m => m.Success)
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                .ToList();

        /// <summary>Index of the responder's first line starting with <paramref name="prefix"/>, or int.MaxValue.</summary>
        public int FirstLineAt(string prefix)
        {
            int at = Array.FindIndex(ResponderLines, l => l.StartsWith(prefix, StringComparison.Ordinal));
            return at < 0 ? int.MaxValue : at;
        }

        public override string ToString() =>
            $"--- c1 (spi {Spi1:x8}), exit {First.ExitCode}\n{First.Output}{First.Error}" +
            $"--- c2 (spi {Spi2:x8}), exit {Second.ExitCode}\n{Second.Output}{Second.Error}" +
            $"--- responder in srv\n{Responder}";
    }
}
