using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace VpnMasq.Actors.Tests.Support;

/// <summary>What one write to the journal held: one round trip to a database, however many events.</summary>
internal sealed record JournalWriteRecorded(int AtomicWrites, int Events);

/// <summary>
/// The in-memory journal, but every write takes a round trip's time (as a database's does) and is published on the
/// event stream as a <see cref="JournalWriteRecorded"/>, so a test can count how many writes carried its events.
/// </summary>
internal sealed class BatchRecordingJournal : MemoryJournal
{
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(10);
    private readonly Akka.Event.EventStream _events = Context.System.EventStream;

    protected override async Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages.ToList();
        _events.Publish(new JournalWriteRecorded(writes.Count, writes.Sum(w => ((IImmutableList<IPersistentRepresentation>)w.Payload).Count)));
        await Task.Delay(RoundTrip, cancellationToken);
        return await base.WriteMessagesAsync(writes, cancellationToken);
    }
}
