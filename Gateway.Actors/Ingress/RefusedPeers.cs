using System.Collections.Concurrent;

namespace VpnMasq.Actors.Ingress;

/// <summary>
/// Remote peers whose owner just refused them for the peer limit, remembered for a moment on the node that
/// captured their frames: the next frames are dropped here (peer-limit) instead of starting, recovering and
/// passivating the refused peer again for each one, which would turn a flood into journal load. Bounded: a flood
/// of distinct addresses only ever clears it.
/// </summary>
internal sealed class RefusedPeers(TimeSpan remember, int capacity = 65_536)
{
    private readonly ConcurrentDictionary<uint, long> _until = new();
    private readonly long _rememberMs = (long)remember.TotalMilliseconds;

    public void Refused(uint peer)
    {
        if (_until.Count >= capacity)
            _until.Clear();
        _until[peer] = Environment.TickCount64 + _rememberMs;
    }

    public bool IsRefused(uint peer)
    {
        if (!_until.TryGetValue(peer, out long until)) // lock-free; IsEmpty would take every lock when empty
            return false;
        if (Environment.TickCount64 < until)
            return true;
        _until.TryRemove(peer, out _);
        return false;
    }
}
