namespace VpnMasq.Protocols.Masquerade;

/// <summary>
/// The node's current <see cref="MasqueradeSettings"/>: an immutable value swapped whole when a link changes (its
/// address, its MTU), so the capture threads and every peer owner on the node read one consistent set without locks.
/// </summary>
public sealed class LiveSettings(MasqueradeSettings initial)
{
    private MasqueradeSettings _current = initial;

    public LiveSettings(MasqueradeOptions options)
        : this(new MasqueradeSettings(options))
    {
    }

    public MasqueradeSettings Current => Volatile.Read(ref _current);

    /// <summary>Swaps in <paramref name="change"/> of the current value (retried if another change won the race); returns the new value.</summary>
    public MasqueradeSettings Update(Func<MasqueradeSettings, MasqueradeSettings> change)
    {
        while (true)
        {
            var before = Current;
            var after = change(before);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, after, before), before))
                return after;
        }
    }
}
