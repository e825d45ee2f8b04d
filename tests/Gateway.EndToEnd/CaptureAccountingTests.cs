using System.Globalization;
using System.Text.Json;
using VpnMasq.EndToEnd.Support;
using Xunit;

namespace VpnMasq.EndToEnd;

/// <summary>Every frame that reached the gateway is accounted for: forwarded, or counted as dropped with a reason.</summary>
public sealed class CaptureAccountingTests
{
    private const int Frames = 3000;

    [Fact]
    public void FramesTheKernelDroppedBeforeCapture_AreCountedAsCaptureRingFull_AndEveryFrameIsAccountedFor()
    {
        using var topology = Topology.Up();
        // The smallest ring libpcap takes, and a gateway that cannot read it while it is stopped: the ring overflows.
        using var node = Vpnmasqd.Start(topology, "--Capture:BufferMegabytes=1");
        node.WaitForwarding();
        // The server counts what arrives for UDP 7777 and answers nothing (no ICMP back through the gateway).
        topology.In(topology.Server, "nft add table ip sink");
        topology.In(topology.Server, "nft add chain ip sink in '{ type filter hook input priority 0; }'");
        topology.In(topology.Server, "nft add rule ip sink in udp dport 7777 counter drop");
        Send(topology, 1); // the flow's first frame goes to its owner; the rest are the flow cache's
        WaitFor(() => Arrived(topology) == 1, "the first frame never arrived");
        var before = node.Counters();

        Shell.Run($"kill -STOP {node.Pid}");
        try
        {
            Send(topology, Frames);
        }
        finally
        {
            Shell.Run($"kill -CONT {node.Pid}");
        }

        // libpcap's drop count is read once a second; what the ring held is forwarded meanwhile.
        WaitFor(() => Forwarded(node.Counters(), before) + RingFull(node.Counters()) >= Frames, "not every frame was accounted for");
        Thread.Sleep(1500); // nothing more may be counted than was sent
        var after = node.Counters();
        long forwarded = Forwarded(after, before);
        long ringFull = RingFull(after);

        Assert.True(ringFull > 0, $"no capture-ring-full drops counted:\n{after}\n{node.Log}");
        Assert.Equal(Frames, forwarded + ringFull);
        Assert.Equal(forwarded, Arrived(topology) - 1); // what the gateway says it forwarded is what the server got
    }

    private static void Send(Topology topology, int count) =>
        topology.In(topology.Client1,
            "python3 -c \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); " +
            $"[s.sendto(b'x' * 32, ('199.0.0.1', 7777)) for _ in range({count})]\"");

    private static long Arrived(Topology topology)
    {
        var rules = topology.In(topology.Server, "nft list chain ip sink in");
        int at = rules.IndexOf("packets ", StringComparison.Ordinal) + "packets ".Length;
        return long.Parse(rules[at..].Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static long Forwarded(JsonElement now, JsonElement before) => Count(now, "forward") - Count(before, "forward");

    private static long RingFull(JsonElement counters) => Count(counters, "drop:capture-ring-full");

    private static long Count(JsonElement counters, string name) => counters.TryGetProperty(name, out var v) ? v.GetInt64() : 0;

    private static void WaitFor(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            Thread.Sleep(200);
        }
    }
}
