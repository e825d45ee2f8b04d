using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Peers;

// DESIGN §1: after a failover the flows continue. A restarted PeerActor routes the next frames of established
// ESP, GRE and ISAKMP flows exactly as the original would have: same verdict, same bytes.
public sealed class RestartedPeerRoutingTests : PeerActorTestKit
{
    private readonly MixedTraffic _traffic = new();

    [Theory]
    [InlineData(1000)] // recovered from events alone
    [InlineData(4)] // recovered from a snapshot and the events after it
    public async Task RestartedPeer_RoutesTheNextFramesOfEstablishedFlows_AsTheOriginalWould(int snapshotEvery)
    {
        var settings = Quiet with { SnapshotEvery = snapshotEvery };
        var reference = new ReferencePeer(Masquerade);
        var live = StartPeer(CreateTestProbe(), settings);
        await FeedAsync(live, reference, _traffic.Setup);
        long snapshotAt = PeerRecoveryTests.SnapshotSequenceNr(reference.Batches, snapshotEvery);
        await AwaitAssertAsync(
            async () => Assert.Equal(snapshotAt == 0 ? null : snapshotAt, (await Persistence.LatestSnapshotAsync(PersistenceId))?.Metadata.SequenceNr),
            Timeout);
        await StopAsync(live);

        var restarted = StartPeer(CreateTestProbe(), settings);
        var next = await FeedAsync(restarted, reference, _traffic.Next);

        Assert.All(next, d => Assert.Equal(VerdictAction.Forward, d.Verdict.Action));
        var greIn = Dissect(next[2].Frame);
        Assert.Equal((InsideA, MixedTraffic.ClientCallId), (greIn.Destination, greIn.GreCallId));
        Assert.Equal(InsideA, Dissect(next[1].Frame).Destination); // ESP reply
        Assert.Equal(InsideA, Dissect(next[4].Frame).Destination); // ISAKMP reply
        Assert.Equal(reference.State.TakeSnapshot(), (await TableAsync(restarted)).Table);
    }
}
