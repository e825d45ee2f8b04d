using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Snapshots;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Masquerade.Esp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Snapshots;

// DESIGN §1 "The table survives failover": a peer restored from a snapshot is the live peer, for what it
// holds and for every decision it makes next; the journal alone rebuilds the same entries.
public sealed class PeerSnapshotTests
{
    public static TheoryData<string> Scenarios => PeerScenario.Names;

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void RestoredPeer_TakesTheSameSnapshotAsTheLiveOne(string scenario)
    {
        var s = PeerScenario.Named(scenario);
        var snapshot = s.Live.TakeSnapshot();

        var restored = s.Restored();

        AssertSameTable(snapshot, restored.TakeSnapshot());
        Assert.Equal(s.Live.EntryCount, restored.EntryCount);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void RestoredPeer_DecidesTheNextFramesAsTheLiveOne(string scenario)
    {
        var s = PeerScenario.Named(scenario);
        var restored = s.Restored();
        var changes = new List<PeerEvent>();

        foreach (var next in s.Next)
        {
            var live = Decide(s.Live, next, s.Settings);
            var again = Decide(restored, next, s.Settings);

            Assert.Equal(live.Verdict, again.Verdict);
            Assert.Equal(live.Outputs, again.Outputs);
            Assert.Equal(live.Events, again.Events);
            changes.AddRange(live.Events);
        }

        Assert.NotEmpty(changes);
        AssertSameTable(s.Live.TakeSnapshot(), restored.TakeSnapshot());
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void ReplayedJournal_RebuildsTheLiveEntries_ButForLastSeenTimesAndFinFlags(string scenario)
    {
        // A frame that changes nothing but last-seen emits no event (activity is saved with the next snapshot,
        // DESIGN §1), so the replay's last-seen times and last activity may be older than the live ones.
        // TCP FIN flags are not in the events either: a known bug, pinned by the skipped FIN tests below.
        // Everything else must match: entries, TCP states, cookies, SPIs, Call IDs, the ESP turn queue.
        var s = PeerScenario.Named(scenario);

        var replayed = s.Replayed();

        AssertSameTable(WithoutActivityOrFins(s.Live.TakeSnapshot()), WithoutActivityOrFins(replayed.TakeSnapshot()));
    }

    [Fact]
    public void SnapshotAndTheEventsAfterIt_RebuildTheLiveTable_WhenAFinCameAfterTheSnapshot()
    {
        var (gateway, tcp, snapshot, journaled) = ConnectionSnapshottedWhileEstablished();
        tcp.FromInside(TcpFlags.Fin | TcpFlags.Ack);

        var recovered = Recover(gateway, snapshot, journaled);

        AssertSameTable(gateway.Gateway.Peers[Remote].TakeSnapshot(), recovered.TakeSnapshot());
    }

    [Fact]
    public void PeerRecoveredFromASnapshotAndLaterEvents_ClosesTheConnectionOnTheSecondFin_AsTheLiveOne()
    {
        var (gateway, tcp, snapshot, journaled) = ConnectionSnapshottedWhileEstablished();
        tcp.FromInside(TcpFlags.Fin | TcpFlags.Ack);
        var recovered = Recover(gateway, snapshot, journaled);
        var finFromRemote = new NextFrame(tcp.RemoteSegment(TcpFlags.Fin | TcpFlags.Ack), Direction.Inbound, TimeSpan.FromSeconds(6));

        var live = Decide(gateway.Gateway.Peers[Remote], finFromRemote, gateway.Gateway.Settings);
        var again = Decide(recovered, finFromRemote, gateway.Gateway.Settings);

        Assert.Equal(TcpMappingState.Closed, Assert.IsType<TcpStateChanged>(Assert.Single(live.Events)).State);
        Assert.Equal(live.Events, again.Events);
    }

    [Fact]
    public void RestoredPeer_GivesAReplyToTheSameHostAsTheLiveOne_WhenTwoExchangesAwaitOneInitiatorCookie()
    {
        // B's exchange was never answered; once it is past its lifetime (and before a sweep) A may use the same cookie.
        var gw = new EspIsakmpDriver();
        gw.Out(Ike.IsakmpOut(Ike.HostB, 0xA1A1), TimeSpan.Zero);
        gw.Out(Ike.IsakmpOut(Ike.HostA, 0xA1A1), TimeSpan.FromMinutes(31));
        var restored = new PeerState(Remote, gw.Gateway.Settings.Options);
        restored.Restore(gw.Peer.TakeSnapshot());
        var reply = new NextFrame(Ike.IsakmpIn(0xA1A1, 0x0A0A), Direction.Inbound, TimeSpan.FromMinutes(31) + TimeSpan.FromSeconds(1));

        var live = Decide(gw.Peer, reply, gw.Gateway.Settings);
        var again = Decide(restored, reply, gw.Gateway.Settings);

        Assert.Equal(Ike.HostA, live.Verdict.Inside);
        Assert.Equal(live.Verdict, again.Verdict);
        Assert.Equal(live.Events, again.Events);
    }

    [Fact]
    public void Restore_OfAnotherPeersSnapshot_IsRefused()
    {
        var s = PeerScenario.Named("esp-associations");
        var other = new PeerState(Ipv4Address.Parse("199.0.0.2"), s.Settings.Options);

        Assert.Throws<ArgumentException>(() => other.Restore(s.Live.TakeSnapshot()));
        Assert.Equal(0, other.EntryCount);
    }

    [Fact]
    public void Restore_IntoAPeerThatHoldsEntries_IsRefused()
    {
        var s = PeerScenario.Named("ports");
        var before = s.Live.TakeSnapshot();

        Assert.Throws<InvalidOperationException>(() => s.Live.Restore(before));
        Assert.Equal(before, s.Live.TakeSnapshot());
    }

    [Fact]
    public void Restore_IntoAPeerWhoseOnlyStateIsHostsWaitingForAnEspTurn_IsRefused()
    {
        // The gateway keeps such a peer (it is not empty: the turn queue is state), so Restore must not merge into it.
        var s = PeerScenario.Named("esp-turns");
        var before = s.Live.TakeSnapshot();
        Assert.Equal(0, s.Live.EntryCount);

        Assert.Throws<InvalidOperationException>(() => s.Live.Restore(before));
        Assert.Equal(before, s.Live.TakeSnapshot());
    }

    [Fact]
    public void RestoredPeer_GivesAThirdCollidingHostTheSamePublicPortAsTheLiveOne()
    {
        var gateway = GatewayUnderTest.Create();
        new TcpConversation(gateway, InsideA, 3000, Remote, 80).Open();
        new TcpConversation(gateway, InsideB, 3000, Remote, 80).Open();
        gateway.Send(UdpFrame(InsideA, 5000, Remote, 53));
        var live = gateway.Gateway.Peers[Remote];
        var restored = new PeerState(Remote, gateway.Gateway.Settings.Options);
        restored.Restore(live.TakeSnapshot());
        var collision = new NextFrame(UdpFrame(InsideB, 5000, Remote, 53), Direction.Outbound, TimeSpan.FromSeconds(1));

        var fromLive = Dissect(Assert.Single(Decide(live, collision, gateway.Gateway.Settings).Outputs));
        var fromRestored = Dissect(Assert.Single(Decide(restored, collision, gateway.Gateway.Settings).Outputs));

        Assert.Equal(fromLive.SourcePort, fromRestored.SourcePort);
    }

    /// <summary>A copy of the frame decided by <paramref name="peer"/>: the verdict (without its extra frames), every frame it sends, and its events.</summary>
    private static (Verdict Verdict, List<byte[]> Outputs, List<PeerEvent> Events) Decide(PeerState peer, NextFrame next, MasqueradeSettings settings)
    {
        var frame = next.Frame.ToArray();
        var events = new List<PeerEvent>();
        var verdict = peer.Handle(frame, Dissect(frame), next.Direction, settings, next.At, events);
        return (verdict with { Extra = null }, EspIsakmpDriver.Outputs(frame, verdict), events);
    }

    /// <summary>An established connection, the peer's snapshot then, and how many events the journal held at it.</summary>
    private static (GatewayUnderTest Gateway, TcpConversation Tcp, PeerSnapshot Snapshot, int Journaled) ConnectionSnapshottedWhileEstablished()
    {
        var gateway = GatewayUnderTest.Create();
        var tcp = new TcpConversation(gateway, InsideA, 3000, Remote, 80).Open();
        var snapshot = gateway.Gateway.Peers[Remote].TakeSnapshot();
        gateway.Now = TimeSpan.FromSeconds(5);
        return (gateway, tcp, snapshot, gateway.Events.Count);
    }

    /// <summary>A fresh peer from the snapshot and the events journaled after it, as PeerActor recovers.</summary>
    private static PeerState Recover(GatewayUnderTest gateway, PeerSnapshot snapshot, int journaled)
    {
        var recovered = new PeerState(Remote, gateway.Gateway.Settings.Options);
        recovered.Restore(snapshot);
        foreach (var e in gateway.Events.Skip(journaled))
            recovered.Apply(e);
        return recovered;
    }

    /// <summary>Compares list by list first, so a failure names the rows that differ.</summary>
    private static void AssertSameTable(PeerSnapshot expected, PeerSnapshot actual)
    {
        Assert.Equal(expected.Ports, actual.Ports);
        Assert.Equal(expected.Icmp, actual.Icmp);
        Assert.Equal(expected.Isakmp, actual.Isakmp);
        Assert.Equal(expected.Esp, actual.Esp);
        Assert.Equal(expected.EspWaiting, actual.EspWaiting);
        Assert.Equal(expected.EspLastRekey, actual.EspLastRekey);
        Assert.Equal(expected.Calls, actual.Calls);
        Assert.Equal(expected, actual);
    }

    private static PeerSnapshot WithoutActivityOrFins(PeerSnapshot s) => s with
    {
        LastActivity = TimeSpan.Zero,
        Ports = [.. s.Ports.Select(r => r with { LastSeen = TimeSpan.Zero, FinFromInside = false, FinFromRemote = false })],
        Icmp = [.. s.Icmp.Select(r => r with { LastSeen = TimeSpan.Zero })],
        Isakmp = [.. s.Isakmp.Select(r => r with { LastSeen = TimeSpan.Zero })],
        Esp = [.. s.Esp.Select(r => r with { LastSeen = TimeSpan.Zero })],
        Calls = [.. s.Calls.Select(r => r with { LastSeen = TimeSpan.Zero })],
    };
}
