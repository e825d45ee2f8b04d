namespace VpnMasq.Actors.Peers;

/// <summary>
/// A point on one process's monotonic clock (<see cref="TimeProvider.GetTimestamp"/>), never on a wall clock: it
/// means nothing in another process, and one node's wall clock compared on another is off by their skew. A message
/// that carries one across nodes carries the time left instead, which the receiving node turns back into a point on
/// its own clock (PeerMessageFormats).
/// </summary>
public readonly record struct Deadline(long Timestamp)
{
    /// <summary><paramref name="budget"/> from now on <paramref name="clock"/>.</summary>
    public static Deadline In(TimeSpan budget, TimeProvider clock) =>
        new(clock.GetTimestamp() + (long)((Int128)budget.Ticks * clock.TimestampFrequency / TimeSpan.TicksPerSecond));

    /// <summary>What is left until the deadline; negative once it has passed.</summary>
    public TimeSpan Left(TimeProvider clock) => clock.GetElapsedTime(clock.GetTimestamp(), Timestamp);

    public bool HasPassed(TimeProvider clock) => clock.GetTimestamp() > Timestamp;
}
