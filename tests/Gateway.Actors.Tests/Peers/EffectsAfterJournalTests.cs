using VpnMasq.Actors.Peers;

namespace VpnMasq.Actors.Tests.Peers;

// Group commit's ordering rule without an actor: an effect waits for the events persisted before it, no more, no less.
public sealed class EffectsAfterJournalTests
{
    private readonly EffectsAfterJournal _effects = new();
    private readonly List<string> _ran = [];

    [Fact]
    public void Effect_WithNothingPending_RunsAtOnce()
    {
        _effects.Run(() => _ran.Add("reply"));

        Assert.Equal(["reply"], _ran);
    }

    [Fact]
    public void Effect_WaitsForEveryEventPersistedBeforeIt()
    {
        _effects.Persisting(2);
        _effects.Run(() => _ran.Add("reply"));

        _effects.Journaled();
        Assert.Empty(_ran);
        _effects.Journaled();

        Assert.Equal(["reply"], _ran);
        Assert.True(_effects.Idle);
    }

    [Fact]
    public void EffectWithoutEventsOfItsOwn_WaitsBehindAnEarlierDecisionsEvents_AndRunsInOrder()
    {
        _effects.Persisting(1);
        _effects.Run(() => _ran.Add("first frame"));
        _effects.Run(() => _ran.Add("second frame")); // needs no event: it built on the first one's

        _effects.Journaled();

        Assert.Equal(["first frame", "second frame"], _ran);
    }

    [Fact]
    public void Effect_DoesNotWaitForEventsPersistedAfterIt()
    {
        _effects.Persisting(1);
        _effects.Run(() => _ran.Add("first"));
        _effects.Persisting(1);
        _effects.Run(() => _ran.Add("second"));

        _effects.Journaled();

        Assert.Equal(["first"], _ran);
        Assert.False(_effects.Idle);
    }

    [Fact]
    public void Halted_NoEffectRuns_NotEvenOnceItsEventsAreJournaled()
    {
        _effects.Persisting(1);
        _effects.Run(() => _ran.Add("reply"));

        _effects.Halt();
        _effects.Journaled();
        _effects.Run(() => _ran.Add("later"));

        Assert.Empty(_ran);
    }
}
