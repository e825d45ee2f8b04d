using VpnMasq.Fuzz.Engine;
using VpnMasq.Fuzz.Seeds;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Fuzz.Targets;

/// <summary>
/// The engine's frame entry point, SingleProcessGateway.Process, fed a sequence of frames (see
/// <see cref="FrameRecords"/>) on an engine with established flows. Besides not throwing, every verdict
/// must keep the gateway's promises: a drop names its reason, and every frame sent parses down to its transport
/// layer with valid checksums.
/// </summary>
internal static class GatewayTarget
{
    public static FuzzTarget Target { get; } = new("gateway", Run, OneFrame)
    {
        SeedsOfCapture = capture => [Sequence(capture.Frames.Take(FrameRecords.MaxFrames))],
    };

    private static void Run(ReadOnlySpan<byte> input)
    {
        var (gateway, now) = FuzzGateway.Create();
        var events = new List<PeerEvent>();
        foreach (var record in FrameRecords.Read(input.ToArray()))
        {
            now += record.Step;
            var frame = record.Frame;
            if (record.FillsChecksums)
                Checksums.Fill(frame);
            if (record.DirectionBits == 3)
                gateway.Sweep(now);
            Direction? direction = record.DirectionBits switch
            {
                0 => Direction.Outbound,
                1 => Direction.Inbound,
                _ => null,
            };
            Check(gateway.Process(frame, direction, now, events), frame);
        }
    }

    private static void Check(Verdict verdict, byte[] input)
    {
        if (verdict.Action == VerdictAction.Drop && verdict.Reason == DropReason.None)
            throw new InvalidOperationException("a drop without a reason");
        if (verdict.Action != VerdictAction.Forward)
            return;
        if (verdict.SendInput)
            CheckSent(input);
        foreach (var extra in verdict.Extra ?? [])
            CheckSent(extra.Frame);
    }

    private static void CheckSent(byte[] frame)
    {
        // What the transport carries is the endpoints' business, and its reading follows the ports: a UDP 4500 -> 500
        // datagram is NAT-T to the dissector, the same one sent from another public port (4500 being forwarded to
        // another host) is ISAKMP, and malformed as such. So the application layer may fail; nothing below it may.
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        if (!d.IsOk && d.FailedLayer != FrameLayer.Application)
            throw new InvalidOperationException($"sent a frame that does not parse: {d.Status} at {d.FailedLayer}");
        if (!TransportChecksum.IsValid(frame.AsSpan(d.NetworkOffset, d.IpTotalLength)))
            throw new InvalidOperationException("sent a frame with a bad checksum");
    }

    /// <summary>
    /// The frame alone; one from outside to an address that is not the gateway's is sent to the public address
    /// instead (checksums refilled), so inbound seeds reach the peers' tables rather than stop at no-mapping.
    /// </summary>
    private static byte[]? OneFrame(SeedFrame frame)
    {
        if (frame.AsEthernet() is not { } ethernet)
            return null;
        var d = frame.Dissection;
        if (!frame.HasDatagram || FuzzGateway.Options.IsInside(d.Source) || d.Destination == FuzzGateway.Public)
            return Sequence([frame]);
        var inbound = ethernet.ToArray();
        int network = frame.LinkType == LinkType.Ethernet ? d.NetworkOffset : EthernetHeader.UntaggedLength;
        int destination = network + Protocols.Ipv4.Ipv4Header.DestinationOffset;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(inbound.AsSpan(destination), FuzzGateway.Public);
        return FrameRecords.Write([new FrameRecord(FrameRecords.ByDirectionOfSource | FrameRecords.FillChecksums | (1 << 3), inbound)]);
    }

    /// <summary>Frames as records, each by the direction of its source, checksums as captured, 1 ms apart.</summary>
    private static byte[] Sequence(IEnumerable<SeedFrame> frames) =>
        FrameRecords.Write(frames
            .Select(f => f.AsEthernet())
            .OfType<byte[]>()
            .Select(f => new FrameRecord(FrameRecords.ByDirectionOfSource | (1 << 3), f)));
}
