using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using VpnMasq.Actors;
using VpnMasq.Actors.Ingress;
using VpnMasq.Node.Cluster;
using VpnMasq.Node.Logs;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Live;

/// <summary>
/// Frames in from both interfaces, through the node's ingress pipeline, out on the side each verdict
/// names. A frame decided by the flow cache leaves on the capture thread; one that waits for its
/// owner leaves when the verdict comes back, without holding up the capture.
/// </summary>
internal sealed class LiveGateway : IDisposable
{
    private readonly GatewayNode _node;
    private readonly ILogger _log;
    private readonly ILogger _linkDropLog;
    private readonly DropLog _dropLog;
    private readonly Timer _flush;
    private readonly FlowOrder _order;
    private readonly LogThrottle<string> _linkDropWarnings = new(TimeProvider.System, TimeSpan.FromSeconds(10));

    /// <summary>"drop:REASON" counter names, made once per reason rather than once per dropped frame.</summary>
    private static readonly ConcurrentDictionary<string, string> DropKeys = new();

    public LiveGateway(GatewayNode node, LinkInfo inside, LinkInfo outside, CaptureSettings capture, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        _node = node;
        _log = node.Loggers.CreateLogger(LogCategories.Live);
        _linkDropLog = node.Loggers.CreateLogger(LogCategories.Drops);
        _dropLog = new DropLog(node.Loggers, clock);
        node.Ingress.Front.Live.Update(s => s with { InsideAddress = inside.Address });
        _order = new FlowOrder(Emit, e =>
        {
            CountDrop("internal-error");
            _log.LogError(e, "decision failed");
        }, frame => CountLinkDrop("flow-queue-full",
            $"a {frame.Length}-byte frame found {FlowOrder.DefaultMaxWaitingPerFlow} frames of its flow already waiting for their owner", 1));
        Inside = new LinkPort(inside, capture, (byte[] f, in Dissection d, TimeSpan t) => Decide(f, d, Direction.Outbound, t), CountLinkDrop, clock);
        Outside = new LinkPort(outside, capture, (byte[] f, in Dissection d, TimeSpan t) => Decide(f, d, Direction.Inbound, t), CountLinkDrop, clock) { AcceptsOwnAddress = true };
        _flush = new Timer(_ => TimerWork.Guarded(_log, "sending what waited for next hops", () =>
        {
            Inside.FlushWaiting();
            Outside.FlushWaiting();
        }), null, 50, 50);
    }

    public LinkPort Inside { get; }
    public LinkPort Outside { get; }

    /// <summary>Drops by reason ("drop:REASON"), transmission failures included.</summary>
    private readonly ConcurrentDictionary<string, long> _drops = new();

    // The two outcomes of nearly every frame, counted without hashing a key per frame; see CountersNow.
    private long _forwarded;
    private long _held;

    /// <summary>Every counter now: "forward" and "hold" (once non-zero) with the drops by reason.</summary>
    public SortedDictionary<string, long> CountersNow()
    {
        var counters = new SortedDictionary<string, long>(_drops, StringComparer.Ordinal);
        foreach (var (name, value) in _node.Ingress.Front.FrontCounters())
        {
            if (value > 0)
                counters[name] = counters.GetValueOrDefault(name) + value;
        }

        if (Interlocked.Read(ref _forwarded) is > 0 and var forwarded)
            counters["forward"] = forwarded;
        if (Interlocked.Read(ref _held) is > 0 and var held)
            counters["hold"] = held;
        return counters;
    }

    public void Start()
    {
        Inside.Start();
        Outside.Start();
    }

    private void Decide(byte[] frame, in Dissection d, Direction direction, TimeSpan at)
    {
        ulong flow = FlowOrderKey.Of(d);
        ValueTask<IngressDecision> pending;
        try
        {
            pending = _node.Ingress.DecideAsync(frame, d, direction, at);
        }
        catch (Exception e)
        {
            CountDrop("internal-error");
            _log.LogError(e, "decision failed");
            return;
        }

        _order.Add(flow, frame, pending);
    }

    private void Emit(byte[] frame, IngressDecision decision)
    {
        var verdict = decision.Verdict;
        switch (verdict.Action)
        {
            case VerdictAction.Drop:
                CountDrop(verdict.Reason.Code());
                _dropLog.Dropped(decision);

                // What the gateway answers about a frame it refused (ICMP error, TCP reset), already rate-limited.
                foreach (var reply in verdict.Extra ?? [])
                    Forward(reply.Frame, reply.Side);
                return;
            case VerdictAction.Hold:
                Interlocked.Increment(ref _held);
                return;
        }

        Interlocked.Increment(ref _forwarded);
        if (verdict.SendInput)
            Forward(frame, verdict.Side);
        foreach (var extra in verdict.Extra ?? [])
            Forward(extra.Frame, extra.Side);
    }

    /// <summary>Sends a frame on; the front already did what a router does to it (TTL, RFC 1812).</summary>
    private void Forward(byte[] frame, Side side) => PortFor(side).Send(frame);

    private LinkPort PortFor(Side side) => side == Side.Inside ? Inside : Outside;

    /// <summary>
    /// Frames a link lost (next hop unresolved, queue full, the link refused a frame, the kernel dropped frames before
    /// capture because the ring was full): counted, and logged as a
    /// warning, at most once every 10 s per reason with how many went since, so a dead next hop cannot flood the log.
    /// </summary>
    private void CountLinkDrop(string reason, string detail, long count)
    {
        CountDrop(reason, count);
        if (_linkDropWarnings.ShouldLog(reason, out long since))
            _linkDropLog.LogWarning("drop {Reason}: {Detail} ({Since} such drops since the last warning)", reason, detail, since);
    }

    private void CountDrop(string reason, long count = 1) =>
        _drops.AddOrUpdate(DropKeys.GetOrAdd(reason, static r => "drop:" + r), static (_, c) => c, static (_, n, c) => n + c, count);

    public void Dispose()
    {
        _flush.Dispose();
        Inside.Dispose();
        Outside.Dispose();
    }
}
