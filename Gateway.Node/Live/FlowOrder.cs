using VpnMasq.Actors.Ingress;
using VpnMasq.Protocols.Frames;

namespace VpnMasq.Node.Live;

/// <summary>
/// Frames of one flow leave in the order they were captured. A frame that waits for its owner's
/// verdict holds back the later frames of its flow (answered from the flow cache or not) until it is
/// decided, and owners' answers that complete out of order are put back in order. Frames of other
/// flows are never held: one flow waiting for a dead owner does not stall the established ones.
/// A flow holds at most <paramref name="maxWaitingPerFlow"/> frames: beyond that a frame is dropped
/// (<paramref name="overflowed"/> counts it) rather than memory growing for as long as an owner is silent.
/// </summary>
internal sealed class FlowOrder(Action<byte[], IngressDecision> emit, Action<Exception> failed, Action<byte[]>? overflowed = null,
    int maxWaitingPerFlow = FlowOrder.DefaultMaxWaitingPerFlow)
{
    /// <summary>A TCP window's worth of full-size segments, and a few seconds of a busy flow while its owner decides.</summary>
    public const int DefaultMaxWaitingPerFlow = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Queue<Slot>> _waiting = [];

    /// <param name="flow">
    /// The frame's <see cref="FlowOrderKey"/>, from its dissection at capture: a decision rewrites the frame in place (the
    /// flow cache at once, a local owner meanwhile), and a key read afterwards would put later frames of the flow in another queue.
    /// </param>
    public void Add(ulong flow, byte[] frame, ValueTask<IngressDecision> decision)
    {
        Slot slot;
        lock (_lock)
        {
            if (_waiting.TryGetValue(flow, out var queue) && queue.Count >= maxWaitingPerFlow)
            {
                overflowed?.Invoke(frame);
                return;
            }

            if (queue is null)
            {
                if (decision.IsCompletedSuccessfully)
                {
                    emit(frame, decision.Result); // the common case: nothing of this flow is waiting
                    return;
                }

                _waiting[flow] = queue = new Queue<Slot>();
            }

            slot = new Slot(frame);
            queue.Enqueue(slot);
            if (decision.IsCompletedSuccessfully)
            {
                slot.Decision = decision.Result;
                Drain(flow, queue);
                return;
            }
        }

        _ = Complete(flow, slot, decision);
    }

    private async Task Complete(ulong flow, Slot slot, ValueTask<IngressDecision> decision)
    {
        IngressDecision? result;
        try
        {
            result = await decision.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            result = null; // nothing to send; counted and logged, and the flow's later frames go on
            failed(e);
        }

        lock (_lock)
        {
            slot.Decision = result;
            slot.Done = true;
            if (_waiting.TryGetValue(flow, out var queue))
                Drain(flow, queue);
        }
    }

    /// <summary>Sends every decided frame at the head of the flow's queue, in capture order.</summary>
    private void Drain(ulong flow, Queue<Slot> queue)
    {
        while (queue.TryPeek(out var head) && (head.Done || head.Decision is not null))
        {
            queue.Dequeue();
            if (head.Decision is { } decided)
                emit(head.Frame, decided);
        }

        if (queue.Count == 0)
            _waiting.Remove(flow);
    }

    private sealed class Slot(byte[] frame)
    {
        public byte[] Frame { get; } = frame;
        public IngressDecision? Decision { get; set; }
        public bool Done { get; set; }
    }
}
