using System.Collections.Concurrent;

namespace VpnMasq.Actors;

/// <summary>At most one log line per key and interval; counts what it held back so the next line can say so.</summary>
public sealed class WarningThrottle(TimeSpan interval)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    /// <summary>True when a line for <paramref name="key"/> is due; <paramref name="occurrences"/> counts this one and those held back.</summary>
    public bool ShouldLog(string key, out long occurrences)
    {
        var entry = _entries.GetOrAdd(key, static _ => new Entry());
        lock (entry)
        {
            entry.Pending++;
            long now = Environment.TickCount64;
            if (entry.LastLogged is { } last && now - last < (long)interval.TotalMilliseconds)
            {
                occurrences = 0;
                return false;
            }

            entry.LastLogged = now;
            occurrences = entry.Pending;
            entry.Pending = 0;
            return true;
        }
    }

    private sealed class Entry
    {
        public long? LastLogged;
        public long Pending;
    }
}
