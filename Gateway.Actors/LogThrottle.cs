namespace VpnMasq.Actors;

/// <summary>
/// Decides which occurrences get a log line: the first of each key, then at most one per interval, which says how many
/// occurrences there were since the line before. At most <see cref="Capacity"/> keys are remembered, so a flood of
/// distinct keys (drops from spoofed sources) cannot grow memory: keys quiet for a whole interval are forgotten first
/// (their next occurrence is due a line anyway; what they held back goes unreported), and while the table is still
/// full, occurrences of keys not in it share one throttled line per interval. An occurrence that gets no line
/// allocates nothing. Thread-safe.
/// </summary>
public sealed class LogThrottle<TKey>(TimeProvider clock, TimeSpan interval, int capacity = LogThrottle.DefaultCapacity)
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, Tally> _keys = [];
    private readonly Tally _untracked = new();
    private long? _lastSweep;

    public int Capacity => capacity;

    /// <summary>
    /// Counts one occurrence; true when it is due a line. <paramref name="since"/> is then how many occurrences the line
    /// stands for, this one included (1 for the first of a key), and <paramref name="tracked"/> false when the line
    /// stands for occurrences of every key the full table could not remember.
    /// </summary>
    public bool ShouldLog(TKey key, out long since, out bool tracked)
    {
        long now = clock.GetTimestamp();
        lock (_lock)
        {
            if (!_keys.TryGetValue(key, out var tally))
            {
                if (_keys.Count >= capacity)
                    ForgetQuietKeys(now);
                if (_keys.Count >= capacity)
                {
                    tracked = false;
                    return _untracked.Count(now, clock, interval, out since);
                }

                _keys[key] = tally = new Tally();
            }

            tracked = true;
            return tally.Count(now, clock, interval, out since);
        }
    }

    public bool ShouldLog(TKey key, out long since) => ShouldLog(key, out since, out _);

    /// <summary>At most once an interval, so a full table costs one pass per interval, not one per occurrence.</summary>
    private void ForgetQuietKeys(long now)
    {
        if (_lastSweep is { } last && clock.GetElapsedTime(last, now) < interval)
            return;
        _lastSweep = now;
        foreach (var (key, tally) in _keys)
        {
            if (clock.GetElapsedTime(tally.LastSeen, now) >= interval)
                _keys.Remove(key);
        }
    }

    private sealed class Tally
    {
        private long _lastLine;
        private long _held;
        private bool _logged;

        public long LastSeen { get; private set; }

        public bool Count(long now, TimeProvider clock, TimeSpan interval, out long since)
        {
            LastSeen = now;
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

public static class LogThrottle
{
    /// <summary>4096 keys, under half a MiB with the dictionary's slack: more peers than drop frames in ten seconds short of an attack.</summary>
    public const int DefaultCapacity = 4096;
}
