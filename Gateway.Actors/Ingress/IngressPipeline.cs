using Akka.Actor;
using VpnMasq.Actors.Peers;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Front;
using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Actors.Ingress;

/// <summary>
/// The ingress of one node (DESIGN §1): the gateway front (dissection, reassembly, firewall) runs here;
/// a frame of an established flow is translated from the flow cache with no message to anyone;
/// every other frame goes to its peer's shard and waits for the owner's verdict.
/// Thread-safe: capture threads call it concurrently.
/// </summary>
public sealed class IngressPipeline
{
    private readonly GatewayFront _front;
    private readonly FlowIndex _cache;
    private readonly ActivityRecorder _activity;
    private readonly IActorRef _peers;
    private readonly TimeSpan _ownerTimeout;
    private readonly Lock _reassembly = new();
    private readonly bool _useFlowCache;
    private readonly RefusedPeers _refused = new(TimeSpan.FromSeconds(2));
    private readonly TimeProvider _clock;
    private readonly Action? _beforeAskingOwner;

    /// <param name="useFlowCache">
    /// False sends every frame to its owner. Replay does: a capture's clock runs far ahead of the wall
    /// clock that batches activity reports, so owners would expire flows the cache kept busy.
    /// </param>
    /// <param name="clock">The monotonic clock an owner's deadline is set on (TimeProvider.System unless a test fakes it).</param>
    /// <param name="beforeAskingOwner">
    /// Runs on the deciding thread before a frame goes to its owner: a node that sends decided frames in batches sends
    /// them here, so a frame the owner answers quickly can never leave before an earlier frame of its flow.
    /// </param>
    public IngressPipeline(GatewayFront front, FlowIndex cache, ActivityRecorder activity, IActorRef peers, TimeSpan ownerTimeout,
        bool useFlowCache = true, TimeProvider? clock = null, Action? beforeAskingOwner = null)
    {
        _beforeAskingOwner = beforeAskingOwner;
        _clock = clock ?? TimeProvider.System;
        _useFlowCache = useFlowCache;
        _front = front;
        _cache = cache;
        _activity = activity;
        _peers = peers;
        _ownerTimeout = ownerTimeout;
    }

    public GatewayFront Front => _front;
    public FlowIndex Cache => _cache;

    /// <summary>
    /// Decides one captured Ethernet frame at frame time <paramref name="at"/>. <paramref name="direction"/>
    /// is the capture side; null classifies by source address (replay). Completes synchronously, without
    /// allocating, when the front or the flow cache decides.
    /// </summary>
    public ValueTask<IngressDecision> DecideAsync(byte[] frame, Direction? direction, TimeSpan at)
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        return DecideAsync(frame, d, direction, at);
    }

    public ValueTask<IngressDecision> DecideAsync(byte[] frame, in Dissection d, Direction? direction, TimeSpan at)
    {
        var dir = direction ?? (d.IsOk || d.FailedLayer > FrameLayer.Network ? _front.DirectionOf(d) : Direction.Inbound);
        Verdict? early;
        PeerRequest request;
        if (d.IsFragment)
        {
            lock (_reassembly)
                early = _front.Prepare(frame, d, dir, at, out request);
        }
        else
        {
            early = _front.Prepare(frame, d, dir, at, out request);
        }

        if (early is { } verdict)
            return new(new IngressDecision(verdict, dir, DecisionSource.Front, null));

        if (_useFlowCache && _cache.TryTranslate(request.Frame, request.Dissection, request.Direction, request.Peer, _front.Settings.PublicAddress,
                out var cached, out var flow))
        {
            _activity.Record(request.Peer, flow, at);
            return new(new IngressDecision(_front.Complete(request, cached), dir, DecisionSource.FlowCache, null));
        }

        if (_refused.IsRefused(request.Peer))
            return new(new IngressDecision(Verdict.Drop(DropReason.PeerLimit, ProtocolLabels.Of(request.Dissection), request.Peer), dir, DecisionSource.Front, null));

        _beforeAskingOwner?.Invoke();
        return new(AskOwner(request, at));
    }

    private async Task<IngressDecision> AskOwner(PeerRequest request, TimeSpan at)
    {
        FrameDecided answer;
        try
        {
            var ask = new DecideFrame(request.Peer, request.Frame, request.Dissection, request.Direction, at, Deadline.In(_ownerTimeout, _clock));
            answer = await _peers.Ask<FrameDecided>(ask, _ownerTimeout)
                .ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            var label = ProtocolLabels.Of(request.Dissection);
            return new IngressDecision(Verdict.Drop(DropReason.OwnerUnavailable, label, request.Peer), request.Direction, DecisionSource.Owner, null);
        }

        if (answer.Verdict.Reason == DropReason.PeerLimit)
            _refused.Refused(request.Peer);

        // The owner decided on its own copy (it never writes into this buffer); rewriting never changes a frame's length.
        answer.Frame.AsSpan().CopyTo(request.Frame);
        return new IngressDecision(_front.Complete(request, answer.Verdict), request.Direction, DecisionSource.Owner, answer.Owner);
    }
}
