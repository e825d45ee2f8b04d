using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;
using VpnMasq.Node.Configuration;
using VpnMasq.Protocols.Ipv4;
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

    public static ReplaySummary Replay(ReplayArguments arguments, MasqueradeOptions options)
    {
        if (!File.Exists(arguments.Input))
            throw new FileNotFoundException($"{arguments.Input}: no such file");
        using var reader = new CaptureFileReaderDevice(arguments.Input);
        try
        {
            reader.Open();
        }
        catch (PcapException e)
        {
            throw new InvalidDataException($"{arguments.Input}: not a readable capture file ({e.Message.Trim()})", e);
        }

        if (reader.LinkType != LinkLayers.Ethernet)
            throw new InvalidDataException($"{arguments.Input}: link type {reader.LinkType}, replay needs Ethernet frames");
        using var writer = new CaptureFileWriterDevice(arguments.Output, FileMode.Create);
        writer.Open(new DeviceConfiguration { LinkLayerType = LinkLayers.Ethernet });
        using var events = arguments.Events is null ? null : new DecisionEventWriter(arguments.Events);

        var gateway = new MasqueradeGateway(options);
        var summary = new ReplaySummary();
        var peerEvents = new List<PeerEvent>();
        TimeSpan lastSweep = TimeSpan.Zero;
        while (reader.GetNextPacket(out var capture) == GetPacketStatus.PacketRead)
        {
            var header = capture.Header;
            var frame = capture.Data.ToArray();
            var timeval = header.Timeval;
            double seconds = (double)timeval.Seconds + (timeval.MicroSeconds / 1_000_000.0);
            var now = TimeSpan.FromTicks((long)timeval.Seconds * TimeSpan.TicksPerSecond + (long)timeval.MicroSeconds * 10);
            if (now - lastSweep > SweepInterval)
            {
                gateway.Sweep(now);
                lastSweep = now;
            }

            peerEvents.Clear();
            var dissection = Protocols.Frames.FrameDissector.Dissect(Protocols.Link.LinkType.Ethernet, frame);
            var direction = Classify(gateway, dissection);
            var verdict = gateway.Process(frame, dissection, direction, now, peerEvents);
            summary.Count(verdict);
            events?.Write(seconds, direction, verdict);
            if (verdict.Action != VerdictAction.Forward)
                continue;
            if (verdict.SendInput)
                Write(writer, frame, timeval);
            foreach (var extra in verdict.Extra ?? [])
                Write(writer, extra.Frame, timeval);
        }

        return summary;
    }

    /// <summary>Outbound when the IPv4 source is in an Inside network (DESIGN §5.2); non-IPv4 frames count as inbound.</summary>
    private static Direction Classify(MasqueradeGateway gateway, in Protocols.Frames.Dissection d) =>
        d.Status == Protocols.ParseStatus.Ok || d.FailedLayer > Protocols.Frames.FrameLayer.Network
            ? gateway.DirectionOf(d)
            : Direction.Inbound;

    private static void Write(CaptureFileWriterDevice writer, byte[] frame, PosixTimeval timeval) =>
        writer.Write(new RawCapture(LinkLayers.Ethernet, timeval, frame));
}
