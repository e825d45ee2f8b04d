using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Esp;

/// <summary>
/// Runs frames through a <see cref="SingleProcessGateway"/> with time passed in, keeps every event the
/// remote's <see cref="PeerState"/> emitted, and checks that every frame the gateway would send has
/// valid IPv4 and transport checksums. Also rebuilds the peer from those events (recovery).
/// </summary>
internal sealed class EspIsakmpDriver
{
    public EspIsakmpDriver(MasqueradeOptions? options = null) =>
        Gateway = new SingleProcessGateway((options ?? new MasqueradeOptions()) with { PublicAddress = Public });

    public SingleProcessGateway Gateway { get; }

    /// <summary>Every event emitted for the remote, in order: the journal a PeerActor would persist.</summary>
    public List<PeerEvent> Events { get; } = [];

    public PeerState Peer => Gateway.Peers[Remote];

    public static MasqueradeOptions WithParallelSessions(bool on) => new() { Esp = new EspOptions { ParallelSessions = on } };

    public Verdict Out(byte[] frame, TimeSpan at) => Process(frame, Direction.Outbound, at);

    public Verdict In(byte[] frame, TimeSpan at) => Process(frame, Direction.Inbound, at);

    public Verdict Process(byte[] frame, Direction direction, TimeSpan at)
    {
        var verdict = Gateway.Process(frame, direction, at, Events);
        AssertOutputChecksumsValid(frame, verdict);
        return verdict;
    }

    public void Sweep(TimeSpan at)
    {
        foreach (var (peer, e) in Gateway.Sweep(at))
        {
            if (peer == Remote)
                Events.Add(e);
        }
    }

    /// <summary>Every frame a verdict sends: the input rewritten in place, then the extra copies.</summary>
    public static List<byte[]> Outputs(byte[] input, Verdict verdict)
    {
        var frames = new List<byte[]>();
        if (verdict.Action == VerdictAction.Forward && verdict.SendInput)
            frames.Add(input);
        if (verdict.Action == VerdictAction.Forward && verdict.Extra is { } extra)
            frames.AddRange(extra.Select(o => o.Frame));
        return frames;
    }

    public static void AssertOutputChecksumsValid(byte[] input, Verdict verdict)
    {
        foreach (var output in Outputs(input, verdict))
            Assert.True(TransportChecksum.IsValid(Datagram(output)), "a forwarded frame has a bad IPv4 or transport checksum");
    }

    /// <summary>A fresh peer with the journal applied in order, as after a failover.</summary>
    public PeerState Recover()
    {
        var recovered = new PeerState(Remote, Gateway.Settings.Options);
        foreach (var e in Events)
            recovered.Apply(e);
        return recovered;
    }

    /// <summary>
    /// Decides <paramref name="frame"/> on the live peer (its events join the journal) and on one
    /// recovered from the journal so far; asserts both send the same bytes the same way and emit the
    /// same events, and returns the live decision and its rewritten frame.
    /// </summary>
    public (Verdict Verdict, byte[] Frame) RouteOnLiveAndRecovered(byte[] frame, Direction direction, TimeSpan at)
    {
        var recovered = Recover();
        var liveEvents = new List<PeerEvent>();
        var recoveredEvents = new List<PeerEvent>();
        var (live, liveFrame) = Decide(Peer, frame, direction, at, liveEvents);
        var (again, recoveredFrame) = Decide(recovered, frame, direction, at, recoveredEvents);
        Events.AddRange(liveEvents);

        Assert.Equal(live with { Extra = null }, again with { Extra = null });
        Assert.Equal(liveEvents, recoveredEvents);
        var liveOutputs = Outputs(liveFrame, live);
        var recoveredOutputs = Outputs(recoveredFrame, again);
        Assert.Equal(liveOutputs.Count, recoveredOutputs.Count);
        for (int i = 0; i < liveOutputs.Count; i++)
            Assert.Equal(liveOutputs[i], recoveredOutputs[i]);
        return (live, liveFrame);
    }

    private (Verdict Verdict, byte[] Frame) Decide(PeerState peer, byte[] frame, Direction direction, TimeSpan at, List<PeerEvent> events)
    {
        var copy = (byte[])frame.Clone();
        var d = FrameDissector.Dissect(LinkType.Ethernet, copy);
        Assert.True(d.IsOk);
        var verdict = peer.Handle(copy, d, direction, Gateway.Settings, at, events);
        AssertOutputChecksumsValid(copy, verdict);
        return (verdict, copy);
    }
}
