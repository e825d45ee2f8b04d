using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Akka.TestKit;

namespace VpnMasq.Actors.Tests.Support;

/// <summary>Reads what the journal and the snapshot store of a test system really hold.</summary>
internal sealed class PersistenceInspector(TestKitBase kit)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly IActorRef _journal = Persistence.Instance.Apply(kit.Sys).JournalFor(null);
    private readonly IActorRef _snapshots = Persistence.Instance.Apply(kit.Sys).SnapshotStoreFor(null);

    /// <summary>The TestKit journal's controls (fail or reject writes).</summary>
    public ITestJournal Journal => TestJournal.FromRef(_journal);

    /// <summary>The journaled events of <paramref name="persistenceId"/> still in the journal, by sequence number.</summary>
    public async Task<IReadOnlyList<(long SequenceNr, object Event)>> EventsAsync(string persistenceId)
    {
        var probe = kit.CreateTestProbe();
        _journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, persistenceId, probe.Ref));
        var events = new List<(long, object)>();
        while (true)
        {
            switch (await probe.ExpectMsgAsync<object>(Timeout))
            {
                case ReplayedMessage replayed:
                    events.Add((replayed.Persistent.SequenceNr, replayed.Persistent.Payload));
                    break;
                case RecoverySuccess:
                    return events;
                case var other:
                    throw new InvalidOperationException($"Unexpected journal reply {other}.");
            }
        }
    }

    /// <summary>The latest snapshot of <paramref name="persistenceId"/>, or null.</summary>
    public async Task<SelectedSnapshot?> LatestSnapshotAsync(string persistenceId)
    {
        var result = await _snapshots.Ask<LoadSnapshotResult>(
            new LoadSnapshot(persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), Timeout);
        return result.Snapshot;
    }
}
