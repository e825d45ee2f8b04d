namespace VpnMasq.Protocols.Masquerade.Front;

/// <summary>
/// Limits what the gateway originates (ICMP errors, resets) the way Linux does: a token bucket per destination
/// (<c>icmp_ratelimit</c>: one message per interval, bursts of <see cref="BurstFactor"/>, as inet_peer_xrlim_allow)
/// under a bucket for the whole gateway (<c>icmp_msgs_per_sec</c>, <c>icmp_msgs_burst</c>). So a flood that makes the
/// gateway answer cannot turn it into a flood source. Thread-safe (capture threads share it); time is the frames' clock.
/// </summary>
internal sealed class IcmpRateLimiter
{
    public const int BurstFactor = 6;

    private readonly Lock _lock = new();
    private readonly Dictionary<uint, Bucket> _perDestination = [];
    private readonly Queue<uint> _arrival = new();
    private readonly TimeSpan _interval;
    private readonly int _perSecond;
    private readonly int _burst;
    private readonly int _maxDestinations;
    private double _globalTokens;
    private TimeSpan _globalLast;
    private long _sent;
    private long _suppressed;

    /// <param name="interval">Per destination: one message per interval, Linux's icmp_ratelimit (1 s).</param>
    /// <param name="perSecond">For the whole gateway, Linux's icmp_msgs_per_sec (1000).</param>
    /// <param name="burst">For the whole gateway, Linux's icmp_msgs_burst (50).</param>
    /// <param name="maxDestinations">Destinations remembered; the oldest is forgotten first, so a sweep cannot grow memory.</param>
    public IcmpRateLimiter(TimeSpan? interval = null, int perSecond = 1000, int burst = 50, int maxDestinations = 4096)
    {
        _interval = interval ?? TimeSpan.FromSeconds(1);
        _perSecond = perSecond;
        _burst = burst;
        _maxDestinations = maxDestinations;
        _globalTokens = burst;
        _globalLast = TimeSpan.MinValue;
    }

    /// <summary>Messages allowed so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Messages the limits held back so far.</summary>
    public long Suppressed => Interlocked.Read(ref _suppressed);

    /// <summary>True when a message to <paramref name="destination"/> may go now; counts either way.</summary>
    public bool Allow(uint destination, TimeSpan now)
    {
        lock (_lock)
        {
            bool allowed = AllowGlobal(now) && AllowDestination(destination, now);
            if (allowed)
                _sent++;
            else
                _suppressed++;
            return allowed;
        }
    }

    private bool AllowGlobal(TimeSpan now)
    {
        if (_globalLast != TimeSpan.MinValue && now > _globalLast)
            _globalTokens = Math.Min(_burst, _globalTokens + (now - _globalLast).TotalSeconds * _perSecond);
        _globalLast = now;
        if (_globalTokens < 1)
            return false;
        _globalTokens--;
        return true;
    }

    private bool AllowDestination(uint destination, TimeSpan now)
    {
        if (!_perDestination.TryGetValue(destination, out var bucket))
        {
            if (_perDestination.Count >= _maxDestinations)
                _perDestination.Remove(_arrival.Dequeue());
            _arrival.Enqueue(destination);
            bucket = new Bucket(_interval * BurstFactor, now);
        }

        // Tokens are time: each message costs one interval, and at most BurstFactor intervals are saved up.
        var tokens = bucket.Tokens + (now > bucket.Last ? now - bucket.Last : TimeSpan.Zero);
        if (tokens > _interval * BurstFactor)
            tokens = _interval * BurstFactor;
        bool allowed = tokens >= _interval;
        _perDestination[destination] = new Bucket(allowed ? tokens - _interval : tokens, now);
        return allowed;
    }

    private readonly record struct Bucket(TimeSpan Tokens, TimeSpan Last);
}
