using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Peers;

// DESIGN §1 / STYLE "State and actors": each event is journaled before its effect. The frame that caused an
// event is only sent once the event is stored; a frame whose event cannot be stored is never sent.
public sealed class PersistBeforeEffectTests() : PeerActorTestKit(serializeMessages: false)
{
    [Fact]
    public async Task InitialEspPacket_IsAnswered_OnceItsEventIsJournaled()
    {
        var reference = new ReferencePeer(Masquerade);
        var peer = StartPeer(CreateTestProbe());

        var decided = Assert.Single(await FeedAsync(peer, reference, [EspSa.Initial]));

        Assert.Equal(VerdictAction.Forward, decided.Verdict.Action);
        var journaled = await Persistence.EventsAsync(PersistenceId);
        Assert.Equal([1L], journaled.Select(e => e.SequenceNr));
        Assert.Equal<object>(reference.Events, journaled.Select(e => e.Event));
        RoundTrip.AssertSurvives(Sys, journaled.Select(e => e.Event));
        await StopAsync(peer);
        Assert.Equal(reference.State.TakeSnapshot(), (await TableAsync(StartPeer(CreateTestProbe()))).Table);
    }

    [Fact]
    public async Task InitialEspPacket_WhoseEventCannotBeWritten_GetsNoVerdict_AndLeavesNoEntry()
    {
        var flows = CreateTestProbe();
        var peer = StartPeer(flows);
        await TableAsync(peer); // recovered: the failure hits the frame's write, not the recovery
        Watch(peer);

        await Persistence.Journal.OnWrite.Fail();
        Send(peer, EspSa.Initial);

        // The actor stops without answering: a FrameDecided before Terminated fails this expectation.
        await ExpectTerminatedAsync(peer, Timeout);
        await Persistence.Journal.OnWrite.Pass();
        var recovered = await TableAsync(StartPeer(flows));
        Assert.Equal(0, recovered.Table.EntryCount);
        Assert.Equal(0, recovered.LastSequenceNr);
        Assert.Empty(await Persistence.EventsAsync(PersistenceId));
    }

    [Fact]
    public async Task InitialEspPacket_WhoseEventTheJournalRejects_GetsNoVerdict_AndLeavesNoEntry()
    {
        // A rejection (the journal could not store this event, e.g. it would not serialize) must not leave the
        // live actor holding an entry the journal lacks: it would block other hosts' initial packets now, and
        // vanish at the next failover.
        var peer = StartPeer(CreateTestProbe());
        await TableAsync(peer);
        Watch(peer);

        await Persistence.Journal.OnWrite.Reject();
        Send(peer, EspSa.Initial);

        await ExpectTerminatedAsync(peer, Timeout);
        await Persistence.Journal.OnWrite.Pass();
        var recovered = await TableAsync(StartPeer(CreateTestProbe()));
        Assert.Equal(0, recovered.Table.EntryCount);
        Assert.Empty(await Persistence.EventsAsync(PersistenceId));
    }

    [Fact]
    public async Task EspReplyWhoseEventCannotBeWritten_IsNeitherAnsweredNorPublished()
    {
        var flows = CreateTestProbe();
        var peer = StartPeer(flows);
        await DecideAsync(peer, EspSa.Initial);
        Watch(peer);

        await Persistence.Journal.OnWrite.Fail();
        Send(peer, EspSa.Reply);

        await ExpectTerminatedAsync(peer, Timeout);
        await Persistence.Journal.OnWrite.Pass();
        await flows.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task SecondFrameOfANewFlow_WhileTheFirstOnesMappingIsBeingWritten_IsAnsweredOnlyAfterThatWrite()
    {
        var reference = new ReferencePeer(Masquerade);
        Assert.Equal(VerdictAction.Forward, reference.Decide(FlowFrame).Verdict.Action);
        Assert.Equal(VerdictAction.Forward, reference.Decide(FlowFrame).Verdict.Action);
        Assert.Equal([1, 0], reference.Batches); // the second frame needs no event: its verdict rests on the first's
        var peer = StartPeer(CreateTestProbe());
        await TableAsync(peer);
        await Persistence.Journal.OnWrite.PassWithDelay(TimeSpan.FromMilliseconds(600));

        Send(peer, FlowFrame);
        Send(peer, FlowFrame);

        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(400));
        Assert.Equal(VerdictAction.Forward, (await ExpectMsgAsync<FrameDecided>(Timeout)).Verdict.Action);
        Assert.Equal(VerdictAction.Forward, (await ExpectMsgAsync<FrameDecided>(Timeout)).Verdict.Action);
        Assert.Equal<object>(reference.Events, (await Persistence.EventsAsync(PersistenceId)).Select(e => e.Event));
    }

    [Fact]
    public async Task FramesDecidedWhileAWriteThatFailsIsInFlight_GetNoVerdict_AndThePeerRecoversWithoutTheirMappings()
    {
        // Group commit applies a decision before its write completes; a failed write must take that state with it.
        var peer = StartPeer(CreateTestProbe());
        await TableAsync(peer);
        Watch(peer);
        await Persistence.Journal.OnWrite.FailWithDelay(TimeSpan.FromMilliseconds(300));

        Send(peer, FlowFrame);
        Send(peer, FlowFrame); // builds on the first frame's mapping, needs no event
        Send(peer, new(UdpFrame(InsideA, 20001, Remote, 9000, [1]), Direction.Outbound, TimeSpan.FromSeconds(1)));

        // The actor stops without answering any of them: a FrameDecided before Terminated fails this expectation.
        await ExpectTerminatedAsync(peer, Timeout);
        await Persistence.Journal.OnWrite.Pass();
        var recovered = await TableAsync(StartPeer(CreateTestProbe()));
        Assert.Equal(0, recovered.Table.EntryCount);
        Assert.Empty(await Persistence.EventsAsync(PersistenceId));
    }

    /// <summary>A frame of a new UDP flow: the first one opens a port mapping, another one like it reuses it.</summary>
    private static TrafficFrame FlowFrame { get; } =
        new(UdpFrame(InsideA, 20000, Remote, 9000, [1]), Direction.Outbound, TimeSpan.FromSeconds(1));
}
