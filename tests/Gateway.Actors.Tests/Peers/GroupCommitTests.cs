using Akka.Actor;
using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Peers;

// Issue 12: a burst of new flows to one remote must not cost a journal round trip per frame. The owner decides every
// frame that arrives while a write is in flight and journals their events together in the next write; each frame is
// still answered only once its events (and every earlier frame's) are journaled, in the order the frames came.
public sealed class GroupCommitTests() : PeerActorTestKit(TestHocon.PeerActorOnBatchRecordingJournal)
{
    private const int Flows = 1000;

    [Fact]
    public async Task BurstOfNewFlowsToOnePeer_IsAnsweredInOrder_WithFarFewerJournalWritesThanFrames()
    {
        var writes = CreateTestProbe();
        Sys.EventStream.Subscribe(writes.Ref, typeof(JournalWriteRecorded));
        var peer = StartPeer(CreateTestProbe(), Quiet with { SnapshotEvery = 10 * Flows }); // no snapshot tidies the journal away
        await TableAsync(peer);
        var reference = new ReferencePeer(Masquerade);
        // Each flow's second frame follows its first at once, so it is decided while the first one's mapping is
        // still being written: it needs no event of its own, and still must not be answered before that write.
        var frames = Enumerable.Range(0, Flows).SelectMany(i => new[] { NewFlowFrame(i), NewFlowFrame(i) }).ToList();
        var expected = frames.Select(reference.Decide).ToList();

        foreach (var traffic in frames)
            Send(peer, traffic);

        foreach (var (verdict, frame) in expected)
        {
            var decided = await ExpectMsgAsync<FrameDecided>(Timeout);
            Assert.Equal(VerdictAction.Forward, decided.Verdict.Action);
            Assert.Equal(verdict, decided.Verdict);
            Assert.Equal(frame, decided.Frame);
        }

        Assert.Equal(reference.Events, (await Persistence.EventsAsync(PersistenceId)).Select(e => e.Event));
        var recorded = new List<JournalWriteRecorded>();
        while (recorded.Sum(w => w.Events) < Flows)
            recorded.Add(await writes.ExpectMsgAsync<JournalWriteRecorded>(Timeout));
        recorded.AddRange((await writes.ReceiveWhileAsync(TimeSpan.FromMilliseconds(300), o => o as JournalWriteRecorded).ToListAsync()).OfType<JournalWriteRecorded>());

        Assert.Equal(Flows, recorded.Sum(w => w.Events));
        Assert.InRange(recorded.Count, 1, frames.Count / 20);
        // Akka.Persistence.Sql's journal throws on a write with no events (and its circuit breaker then fails every
        // peer's writes): waiting effects must not reach the journal as writes of their own, as DeferAsync's do.
        Assert.DoesNotContain(recorded, w => w.AtomicWrites == 0);
    }

    [Fact]
    public async Task FrameWithoutEvents_WaitingForAWrite_DoesNotReachTheJournalAsAWriteOfItsOwn()
    {
        // Akka.Persistence.Sql's journal throws on a write with no events, and its circuit breaker then fails every
        // peer's writes for a while. DeferAsync sends what it defers to the journal, alone when nothing follows it.
        var writes = CreateTestProbe();
        Sys.EventStream.Subscribe(writes.Ref, typeof(JournalWriteRecorded));
        var peer = StartPeer(CreateTestProbe());
        await TableAsync(peer);

        Send(peer, NewFlowFrame(0));
        Send(peer, NewFlowFrame(0)); // decided while the first one's mapping is being written

        Assert.Equal(VerdictAction.Forward, (await ExpectMsgAsync<FrameDecided>(Timeout)).Verdict.Action);
        Assert.Equal(VerdictAction.Forward, (await ExpectMsgAsync<FrameDecided>(Timeout)).Verdict.Action);
        var recorded = await writes.ReceiveWhileAsync(TimeSpan.FromMilliseconds(300), o => o as JournalWriteRecorded).ToListAsync();
        Assert.Equal([new JournalWriteRecorded(1, 1)], recorded);
    }

    /// <summary>The first frame of flow <paramref name="i"/> opens a port mapping (one event); a second one reuses it.</summary>
    private static TrafficFrame NewFlowFrame(int i) =>
        new(UdpFrame(InsideA, (ushort)(20000 + i), Remote, 9000, [1]), Direction.Outbound, TimeSpan.FromSeconds(1));
}
