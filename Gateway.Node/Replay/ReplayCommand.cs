using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;
using Akka.Actor;
using VpnMasq.Actors.Peers;
using VpnMasq.Node.Cluster;
using VpnMasq.Node.Configuration;
using VpnMasq.Node.Logs;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Node.Replay;

/// <summary>
/// <c>vpnmasqd replay</c> (DESIGN §5.2): runs a capture through the masquerade engine with the pcap
/// timestamps as the clock, and writes what the gateway would transmit and why.
/// </summary>
internal static class ReplayCommand
{
    /// <summary>Replays have no interface to learn the address from; the HOWTO's example address stands in.</summary>
    private static readonly uint DefaultPublicAddress = Ipv4Address.Parse("200.200.200.200");
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    /// <summary>A cluster of one on a free loopback port; nothing persists; sweeps follow the capture's clock, not a timer.</summary>
    private static readonly NodeSettings ReplayNodeSettings = new()
    {
        SystemName = "vpnmasq-replay",
        Logging = LoggingSettings.WarningsOnly,
        Hostname = "127.0.0.1",
        Port = 0,
        Journal = JournalProvider.InMemory,
        SweepInterval = TimeSpan.Zero,
        ShardCount = 10,
        UseFlowCache = false,
    };

    public static int Run(string[] args, TextWriter error)
    {
        var arguments = ReplayArguments.Parse(args);
        var configuration = VpnMasqConfiguration.Build(["replay", .. arguments.Rest], baseDirectory: null);
        var binding = MasqueradeOptionsBinder.BindWithWarnings(configuration, DefaultPublicAddress);
        foreach (var warning in binding.Warnings)
            error.WriteLine($"vpnmasqd: warning: {warning}");
        var summary = Replay(arguments, binding.Options);
        error.WriteLine(summary);
        return 0;
    }

    public static ReplaySummary Replay(ReplayArguments arguments, MasqueradeOptions options) =>
        ReplayAsync(arguments, options).GetAwaiter().GetResult();

    /// <summary>
    /// Runs the capture through the same pipeline as a live node — gateway front, flow cache, sharded
    /// peer actors — on a single-node cluster in this process with an in-memory journal.
    /// </summary>
    public static async Task<ReplaySummary> ReplayAsync(ReplayArguments arguments, MasqueradeOptions options)
    {
        if (!File.Exists(arguments.Input))
            throw new FileNotFoundException($"{arguments.Input}: no such file");
        using var reader = new CaptureFileReader(arguments.Input);
        bool any = reader.TryRead(out var first);
        if (any && first.LinkType != LinkType.Ethernet)
            throw new InvalidDataException($"{arguments.Input}: link type {first.LinkType}, replay needs Ethernet frames");
        using var writer = new CaptureFileWriterDevice(arguments.Output, FileMode.Create);
        writer.Open(new DeviceConfiguration { LinkLayerType = LinkLayers.Ethernet });
        using var events = arguments.Events is null ? null : new DecisionEventWriter(arguments.Events);

        await using var node = await GatewayNode.StartAsync(ReplayNodeSettings, options).ConfigureAwait(false);
        await node.WhenUpAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var summary = new ReplaySummary();
        var peers = new HashSet<uint>();
        TimeSpan lastSweep = TimeSpan.Zero;
        var pending = first;
        for (bool more = any; more; more = reader.TryRead(out pending))
        {
            if (pending.LinkType != LinkType.Ethernet)
                throw new InvalidDataException($"{arguments.Input}: frame {summary.FramesIn + 1} has link type {pending.LinkType}, replay needs Ethernet frames");
            var frame = pending.Data;
            var now = pending.Timestamp;
            var timeval = new PosixTimeval((ulong)(now.Ticks / TimeSpan.TicksPerSecond), (ulong)(now.Ticks % TimeSpan.TicksPerSecond / 10));
            double seconds = now.Ticks / (double)TimeSpan.TicksPerSecond;
            if (now - lastSweep > SweepInterval)
            {
                node.Ingress.Front.ExpireFragments(now);
                foreach (var peer in peers)
                    node.Peers.Tell(new SweepPeer(peer, now));
                lastSweep = now;
            }

            var decision = await node.Ingress.DecideAsync(frame, direction: null, now).ConfigureAwait(false);
            var verdict = decision.Verdict;
            if (verdict.Peer != 0)
                peers.Add(verdict.Peer);
            summary.Count(verdict);
            events?.Write(seconds, decision.Direction, verdict);

            // A drop may still send something: the gateway's own answer (ICMP error, reset) about the frame it refused.
            if (verdict.SendInput)
                Write(writer, frame, timeval);
            foreach (var extra in verdict.Extra ?? [])
                Write(writer, extra.Frame, timeval);
        }

        return summary;
    }

    private static void Write(CaptureFileWriterDevice writer, byte[] frame, PosixTimeval timeval) =>
        writer.Write(new RawCapture(LinkLayers.Ethernet, timeval, frame));
}
