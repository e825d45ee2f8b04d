using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Live;

/// <summary>
/// Decides which drops get a log line: the first of each (peer, reason), then at most one per interval, which
/// says how many such drops there were since the line before. At most <see cref="Capacity"/> pairs are
/// remembered, so a flood from spoofed sources cannot grow memory: pairs quiet for a whole interval are
/// forgotten first (their next drop is due a line anyway; what they held back goes unreported), and while the
/// table is still full, drops of pairs not in it share one throttled line per interval. A drop that gets no
/// line allocates nothing.
/// </summary>
internal sealed class DropThrottle(TimeProvider clock, TimeSpan interval, int capacity = DropThrottle.DefaultCapacity)
{
    /// <summary>4096 pairs, under half a MiB with the dictionary's slack: more peers than drop frames in ten seconds short of an attack.</summary>
    public const int DefaultCapacity = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<(uint Peer, DropReason Reason), Pair> _pairs = [];
    private readonly Pair _untracked = new();
    private long? _lastSweep;

    public int Capacity => capacity;

    /// <summary>
    /// Counts one drop; true when it is due a line. <paramref name="since"/> is then how many drops the line stands
    /// for, this one included (1 for the first of a pair), and <paramref name="tracked"/> false when the line stands
    /// for drops of every pair the full table could not remember.
    /// </summary>
    public bool ShouldLog(uint peer, DropReason reason, out long since, out bool tracked)
    {
        long now = clock.GetTimestamp();
        lock (_lock)
        {
            if (!_pairs.TryGetValue((peer, reason), out var pair))
            {
                if (_pairs.Count >= capacity)
                    ForgetQuietPairs(now);
                if (_pairs.Count >= capacity)
                {
                    tracked = false;
                    return _untracked.Count(now, clock, interval, out since);
                }

                _pairs[(peer, reason)] = pair = new Pair();
            }

            tracked = true;
            return pair.Count(now, clock, interval, out since);
        }
    }

    /// <summary>At most once an interval, so a full table costs one pass per interval, not one per drop.</summary>
    private void ForgetQuietPairs(long now)
    {
        if (_lastSweep is { } last && clock.GetElapsedTime(last, now) < interval)
            return;
        _lastSweep = now;
        foreach (var (key, pair) in _pairs)
        {
            if (clock.GetElapsedTime(pair.LastDrop, now) >= interval)
                _pairs.Remove(key);
        }
    }

    private sealed class Pair
    {
        private long _lastLine;
        private long _held;
        private bool _logged;

        public long LastDrop { get; private set; }

        public bool Count(long now, TimeProvider clock, TimeSpan interval, out long since)
        {
            LastDrop = now;
            _held++;
            if (_logged && clock.GetElapsedTime(_lastLine, now) < interval)
            {
                since = 0;
                return false;
            }

            _logged = true;
            _lastLine = now;
            since = _held;
            _held = 0;
            return true;
        }
    }
}
