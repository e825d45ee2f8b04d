using VpnMasq.Actors.Tests.Support;

namespace VpnMasq.Actors.Tests.Peers;

// DESIGN §1 "The table survives failover": a PeerActor started again with the same entity id recovers the
// exact table the original had — last-seen times, cookies, SPIs, Call IDs and all — from its journal, or from
// its latest snapshot and the events after it.
public sealed class PeerRecoveryTests : PeerActorTestKit
{
    private readonly MixedTraffic _traffic = new();

    [Fact]
    public async Task RecoveryFromEvents_ReproducesTheExactTable()
    {
        var reference = new ReferencePeer(Masquerade);
        var live = StartPeer(CreateTestProbe());
        await FeedAsync(live, reference, _traffic.Setup);
        var expected = reference.State.TakeSnapshot();
        Assert.Equal(expected, (await TableAsync(live)).Table);
        var journaled = await Persistence.EventsAsync(PersistenceId);
        Assert.Equal<object>(reference.Events, journaled.Select(e => e.Event));
        RoundTrip.AssertSurvives(Sys, journaled.Select(e => e.Event));
        Assert.Null(await Persistence.LatestSnapshotAsync(PersistenceId));

        await StopAsync(live);
        var recovered = await TableAsync(StartPeer(CreateTestProbe()));

        Assert.Equal(expected, recovered.Table);
        Assert.Equal(reference.Events.Count, recovered.LastSequenceNr);
    }

    [Fact]
    public async Task RecoveryFromASnapshotAndLaterEvents_ReproducesTheExactTable()
    {
        const int Every = 4;
        var settings = Quiet with { SnapshotEvery = Every };
        var reference = new ReferencePeer(Masquerade);
        var live = StartPeer(CreateTestProbe(), settings);
        await FeedAsync(live, reference, _traffic.Setup);
        long last = reference.Events.Count;
        long snapshotAt = SnapshotSequenceNr(reference.Batches, Every);
        Assert.InRange(snapshotAt, 1, last - 1); // some events come after the snapshot

        // The snapshot is saved, then the journal trimmed up to it: afterwards only the snapshot holds the early events.
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(snapshotAt, (await Persistence.LatestSnapshotAsync(PersistenceId))?.Metadata.SequenceNr);
            var remaining = await Persistence.EventsAsync(PersistenceId);
            Assert.Equal(Sequence(snapshotAt + 1, last), remaining.Select(e => e.SequenceNr));
        }, Timeout);
        await StopAsync(live);

        var recovered = await TableAsync(StartPeer(CreateTestProbe(), settings));

        Assert.Equal(reference.State.TakeSnapshot(), recovered.Table);
        Assert.Equal(last, recovered.LastSequenceNr);
    }

    /// <summary>Where PeerActor takes its last snapshot: after the batch that brings the events since the previous one to <paramref name="every"/>.</summary>
    internal static long SnapshotSequenceNr(IEnumerable<int> batches, int every)
    {
        long sequenceNr = 0, snapshotAt = 0;
        int since = 0;
        foreach (int batch in batches)
        {
            sequenceNr += batch;
            since += batch;
            if (batch > 0 && since >= every)
            {
                snapshotAt = sequenceNr;
                since = 0;
            }
        }

        return snapshotAt;
    }

    private static IEnumerable<long> Sequence(long from, long to)
    {
        for (long n = from; n <= to; n++)
            yield return n;
    }
}
