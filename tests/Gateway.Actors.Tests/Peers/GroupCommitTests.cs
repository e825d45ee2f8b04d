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
        int written = 0, roundTrips = 0;
        while (written < Flows)
        {
            written += (await writes.ExpectMsgAsync<JournalWriteRecorded>(Timeout)).Events;
            roundTrips++;
        }

        Assert.Equal(Flows, written);
        Assert.InRange(roundTrips, 1, frames.Count / 20);
    }

    /// <summary>The first frame of flow <paramref name="i"/> opens a port mapping (one event); a second one reuses it.</summary>
    private static TrafficFrame NewFlowFrame(int i) =>
        new(UdpFrame(InsideA, (ushort)(20000 + i), Remote, 9000, [1]), Direction.Outbound, TimeSpan.FromSeconds(1));
}
