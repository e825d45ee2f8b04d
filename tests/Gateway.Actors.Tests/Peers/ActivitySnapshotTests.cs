using Akka.Actor;
using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Snapshots;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Peers;

// DESIGN §1: per-packet activity is not journaled; it is persisted coarsely, with a snapshot now and then, so
// that after a failover an entry in use is not taken for an idle one and expired. That holds for the activity
// flow caches report and for the frames the owner decides itself (PPTP control, replay): both move last-seen
// without an event.
public sealed class ActivitySnapshotTests : PeerActorTestKit
{
    private static readonly TimeSpan Later = TimeSpan.FromSeconds(100);

    private readonly PeerActorSettings _settings = Quiet with { ActivitySnapshotInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task ActivityReportedByAFlowCache_IsSavedBySnapshot_AndSurvivesARestart()
    {
        var peer = StartPeer(CreateTestProbe(), _settings);
        await DecideAsync(peer, EspSa.Initial);
        await DecideAsync(peer, EspSa.Reply);

        peer.Tell(new ReportActivity(Remote, [new FlowSeen(EspSa.Flow, Later)]));

        await AssertSavedAndRecoveredAsync(peer);
    }

    [Fact]
    public async Task ActivityDecidedByTheOwner_IsSavedBySnapshot_AndSurvivesARestart()
    {
        var peer = StartPeer(CreateTestProbe(), _settings);
        await DecideAsync(peer, EspSa.Initial);
        await DecideAsync(peer, EspSa.Reply);

        var next = await DecideAsync(peer, new(EspFrame(InsideA, Remote, EspSa.OutboundSpi, 2), Direction.Outbound, Later));

        Assert.Equal(VerdictAction.Forward, next.Verdict.Action);
        Assert.Equal(2, (await TableAsync(peer)).LastSequenceNr); // no event: only last-seen moved
        await AssertSavedAndRecoveredAsync(peer);
    }

    private async Task AssertSavedAndRecoveredAsync(IActorRef peer)
    {
        await AwaitAssertAsync(async () =>
        {
            var snapshot = await Persistence.LatestSnapshotAsync(PersistenceId);
            Assert.NotNull(snapshot);
            var table = Assert.IsType<PeerSnapshot>(snapshot.Snapshot);
            Assert.Equal(Later, Assert.Single(table.Esp).LastSeen);
        }, Timeout);
        var live = (await TableAsync(peer)).Table;
        await StopAsync(peer);

        var recovered = (await TableAsync(StartPeer(CreateTestProbe(), _settings))).Table;

        Assert.Equal(live, recovered);
        Assert.Equal(Later, Assert.Single(recovered.Esp).LastSeen);
    }
}
