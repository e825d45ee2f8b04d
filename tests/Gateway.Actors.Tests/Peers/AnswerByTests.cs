using Akka.Actor;
using Microsoft.Extensions.Time.Testing;
using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Serialization;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Actors.Tests.Peers;

// A frame its node stopped waiting for was dropped there: the owner must not act on it. Whether the asker gave up is
// measured on the owner's own monotonic clock, from the time left that crossed with the frame, never by comparing the
// asker's wall clock with the owner's: the nodes' wall clocks are an hour apart here, which a UTC deadline would misread
// (an owner behind would decide frames long given up, one ahead would refuse every frame).
public sealed class AnswerByTests() : PeerActorTestKit(serializeMessages: false)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly DateTimeOffset AskerWallClock = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-1)] // the owner's wall clock an hour behind the asker's
    [InlineData(+1)] // an hour ahead
    public void Frame_ReachingTheOwnerWithinItsBudget_IsDecided(int ownerHoursAhead)
    {
        var owner = new FakeTimeProvider(AskerWallClock.AddHours(ownerHoursAhead));
        var peer = StartPeer(CreateTestProbe(), Quiet with { Clock = owner });

        peer.Tell(AcrossNodes(EspSa.Initial, owner, spentOnTheOwner: TimeSpan.FromSeconds(1.5)), TestActor);

        Assert.Equal(VerdictAction.Forward, ExpectMsg<FrameDecided>(Timeout).Verdict.Action);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(+1)]
    public async Task Frame_WhoseBudgetRanOutBeforeTheOwnerGotToIt_IsNotDecided(int ownerHoursAhead)
    {
        var owner = new FakeTimeProvider(AskerWallClock.AddHours(ownerHoursAhead));
        var peer = StartPeer(CreateTestProbe(), Quiet with { Clock = owner });

        peer.Tell(AcrossNodes(EspSa.Initial, owner, spentOnTheOwner: TimeSpan.FromSeconds(2.5)), TestActor);

        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        // Nothing journaled, nothing in the table: the ESP init it would have started was never sent.
        var table = await TableAsync(peer);
        Assert.Equal(0L, table.LastSequenceNr);
        Assert.Empty(table.Table.EspWaiting);
        Assert.Empty(table.Table.Esp);
    }

    [Fact]
    public void Frame_AskedInThisProcess_IsMeasuredOnTheSameClock()
    {
        var clock = new FakeTimeProvider(AskerWallClock);
        var peer = StartPeer(CreateTestProbe(), Quiet with { Clock = clock });
        var asked = Asked(EspSa.Initial) with { AnswerBy = Deadline.In(Budget, clock) };

        clock.Advance(Budget + TimeSpan.FromTicks(1));
        peer.Tell(asked, TestActor);

        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    /// <summary>
    /// The frame as the owner's node receives it from the asker's (whose clocks differ in wall time and in where their
    /// monotonic counts start): the asker gave it <see cref="Budget"/>, half a second went by before it was written,
    /// then <paramref name="spentOnTheOwner"/> passes on the owner's clock after it arrived.
    /// </summary>
    private DecideFrame AcrossNodes(TrafficFrame traffic, FakeTimeProvider owner, TimeSpan spentOnTheOwner)
    {
        var asker = new FakeTimeProvider(AskerWallClock);
        asker.Advance(TimeSpan.FromDays(3)); // the asker's process has run longer: its timestamps mean nothing on the owner
        var sent = Asked(traffic) with { AnswerBy = Deadline.In(Budget, asker) };
        asker.Advance(TimeSpan.FromSeconds(0.5));

        var bytes = new VpnMasqSerializer((ExtendedActorSystem)Sys, asker).ToBinary(sent);
        var received = (DecideFrame)new VpnMasqSerializer((ExtendedActorSystem)Sys, owner).FromBinary(bytes, "DF");
        Assert.Equal(TimeSpan.FromSeconds(1.5), received.AnswerBy!.Value.Left(owner));

        owner.Advance(spentOnTheOwner);
        return received;
    }
}
