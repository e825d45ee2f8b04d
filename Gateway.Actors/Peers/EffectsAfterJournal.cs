namespace VpnMasq.Actors.Peers;

/// <summary>
/// What a <see cref="PeerActor"/> may do outside itself (answer, publish, snapshot, passivate) only once the events
/// it persisted before are journaled: each effect waits behind them, and runs, in the order asked for, as the persist
/// handlers report events stored. Not Akka's DeferAsync, which sends what it defers to the journal (see PeerActor).
/// </summary>
internal sealed class EffectsAfterJournal
{
    private readonly Queue<(long After, Action Effect)> _waiting = new();
    private long _persisting;
    private long _journaled;
    private bool _halted;

    /// <summary>Every event persisted so far is journaled, so no effect waits.</summary>
    public bool Idle => _journaled == _persisting;

    /// <summary><paramref name="events"/> more events were handed to the journal.</summary>
    public void Persisting(int events) => _persisting += events;

    /// <summary>Runs <paramref name="effect"/> now if nothing is pending, else once everything persisted so far is journaled.</summary>
    public void Run(Action effect)
    {
        if (Idle && !_halted)
            effect();
        else
            _waiting.Enqueue((_persisting, effect));
    }

    /// <summary>One more event is journaled (called from its persist handler, in journal order): run what no longer waits.</summary>
    public void Journaled()
    {
        _journaled++;
        while (!_halted && _waiting.TryPeek(out var next) && next.After <= _journaled)
            _waiting.Dequeue().Effect();
    }

    /// <summary>A write was rejected and the actor is stopping: nothing more may leave meanwhile.</summary>
    public void Halt() => _halted = true;
}
