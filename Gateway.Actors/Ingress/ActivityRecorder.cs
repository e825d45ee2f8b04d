using System.Collections.Concurrent;
using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Actors.Ingress;

/// <summary>
/// The latest frame time of each flow this node's cache translated, drained in batches for the owners
/// (DESIGN §1: activity is reported, not journaled). Recording a flow already present does not allocate.
/// </summary>
public sealed class ActivityRecorder
{
    private readonly ConcurrentDictionary<(uint Peer, EstablishedFlow Flow), long> _latest = new();
    private readonly Dictionary<(uint Peer, EstablishedFlow Flow), long> _reported = [];

    public int Count => _latest.Count;

    public void Record(uint peer, in EstablishedFlow flow, TimeSpan at) => _latest[(peer, flow)] = at.Ticks;

    /// <summary>
    /// What was seen since the last drain, grouped by peer. Flows with nothing new are forgotten, so
    /// the recorder holds only flows that are active. Called from one thread at a time.
    /// </summary>
    public Dictionary<uint, List<(EstablishedFlow Flow, TimeSpan At)>> Drain()
    {
        var batches = new Dictionary<uint, List<(EstablishedFlow, TimeSpan)>>();
        foreach (var (key, ticks) in _latest)
        {
            if (_reported.TryGetValue(key, out long reported) && reported == ticks)
            {
                // Idle since the last report: drop it unless a frame arrived just now.
                if (_latest.TryRemove(new KeyValuePair<(uint, EstablishedFlow), long>(key, ticks)))
                    _reported.Remove(key);
                continue;
            }

            _reported[key] = ticks;
            if (!batches.TryGetValue(key.Peer, out var list))
                batches[key.Peer] = list = [];
            list.Add((key.Flow, TimeSpan.FromTicks(ticks)));
        }

        return batches;
    }
}
