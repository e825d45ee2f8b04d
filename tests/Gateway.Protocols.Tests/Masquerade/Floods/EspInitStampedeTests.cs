using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using Xunit.Abstractions;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Floods;

// Issue 10 / DESIGN §3.3: a thousand inside hosts start ESP to one remote at the same moment (parallel sessions on, so
// every one of them may have an SA). Initial packets are serialized: one turn at a time, the others wait.
// Bounds: what a waiting host costs is one entry in the turn queue (no ESP entry, no rekey record), the queue never
// holds more hosts than Masquerade:Limits:EntriesPerPeer, and a turn starts within one retransmit period of the
// previous turn's reply, so all N hosts have their SA within N x (reply time + retransmit period).
public sealed class EspInitStampedeTests(ITestOutputHelper output)
{
    private const int Hosts = 1000;
    private static readonly TimeSpan ReplyTime = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Retransmit = TimeSpan.FromSeconds(1);

    /// <summary>Blocked packets may allocate (the event, the verdict's bookkeeping), but not per host already waiting.</summary>
    private const long AllocatedBytesPerBlockedPacket = 512;

    [Fact]
    public void ThousandHostsAtOnce_EachBlockedHostCostsOneQueueEntry_AndABoundedAllocation()
    {
        var stampede = new Stampede(entriesPerPeer: new LimitOptions().EntriesPerPeer);
        var frames = Enumerable.Range(0, Hosts).Select(i => EspOut(Stampede.Host(i), Stampede.OutboundSpi(i))).ToList();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var verdicts = frames.Select((frame, i) => stampede.Out(frame, TimeSpan.FromTicks(i))).ToList();
        long perBlocked = (GC.GetAllocatedBytesForCurrentThread() - before) / (Hosts - 1);

        Assert.Equal(VerdictAction.Forward, verdicts[0].Action);
        Assert.All(verdicts.Skip(1), v => Assert.Equal(DropReason.EspInitBlocked, v.Reason));
        Assert.Equal((1, Hosts - 1, 1), (stampede.Peer.Esp.Count, stampede.Peer.Esp.Waiting.Count, stampede.Peer.Esp.LastRekey.Count));
        output.WriteLine($"allocated per blocked initial packet: {perBlocked} B; queue: {stampede.Peer.Esp.Waiting.Count} hosts");
        Assert.InRange(perBlocked, 0, AllocatedBytesPerBlockedPacket);
    }

    [Fact]
    public void ThousandHostsAtOnce_EveryHostGetsItsTurn_EachTurnStartingWithinOneRetransmitOfThePreviousReply()
    {
        var stampede = new Stampede(entriesPerPeer: new LimitOptions().EntriesPerPeer);

        var turns = stampede.RunUntilEveryHostHasItsSa(TimeSpan.FromSeconds(Hosts * (ReplyTime + Retransmit).TotalSeconds));

        Assert.Equal(Hosts, turns.Count);
        var gaps = turns.Skip(1).Select((t, k) => t.Start - turns[k].Reply).ToList();
        output.WriteLine($"all {Hosts} SAs after {turns[^1].Reply.TotalSeconds:F1} s; longest wait {turns.Max(t => t.Start).TotalSeconds:F1} s; longest gap between turns {gaps.Max().TotalMilliseconds} ms");
        for (int k = 1; k < turns.Count; k++)
            Assert.InRange(turns[k].Start - turns[k - 1].Reply, TimeSpan.Zero, Retransmit);
        Assert.Equal(Hosts, stampede.Peer.Esp.Entries.Count(e => e.InboundSpi == Stampede.InboundSpi(e.Inside)));
        Assert.Empty(stampede.Peer.Esp.Waiting);
    }

    [Fact]
    public void TurnQueue_HoldsNoMoreThanEntriesPerPeer_AndHostsBeyondItStillGetTheirTurn()
    {
        const int Limit = 100;
        var stampede = new Stampede(entriesPerPeer: Limit);

        var turns = stampede.RunUntilEveryHostHasItsSa(TimeSpan.FromSeconds(Hosts * (ReplyTime + Retransmit).TotalSeconds));

        Assert.Equal(Hosts, turns.Count);
        output.WriteLine($"queue capped at {Limit}: all {Hosts} SAs after {turns[^1].Reply.TotalSeconds:F1} s");
        Assert.InRange(stampede.LongestQueue, Limit, Limit);
        for (int k = 1; k < turns.Count; k++)
            Assert.InRange(turns[k].Start - turns[k - 1].Reply, TimeSpan.Zero, Retransmit);
    }

    [Fact]
    public void HundredHostsToARemoteThatNeverAnswers_EachGetsATurn_EachTurnEndingWithinInitLifetime()
    {
        // Unanswered, a turn ends after InitRetries more packets once another host was blocked, or at InitLifetime;
        // the next waiting host asks within one retransmit. So N hosts have had a turn within N x (InitLifetime + retransmit).
        const int Silent = 100;
        var initLifetime = new EspOptions().InitLifetime;
        var stampede = new Stampede(entriesPerPeer: new LimitOptions().EntriesPerPeer);

        var starts = stampede.RunUntilEveryHostHadATurnWithASilentRemote(Silent, Silent * (initLifetime + Retransmit));

        var firsts = starts.GroupBy(t => t.Host).Select(g => g.First().Start).Order().ToList();
        output.WriteLine($"silent remote: all {Silent} hosts had a turn after {firsts[^1].TotalSeconds:F1} s, {starts.Count} turns in all");
        Assert.Equal(Silent, firsts.Count);
        Assert.Equal(Silent, starts.Count); // round-robin: no host had a second turn before every host had its first
        for (int k = 1; k < starts.Count; k++)
            Assert.InRange(starts[k].Start - starts[k - 1].Start, TimeSpan.Zero, initLifetime + Retransmit);
    }

    /// <summary>
    /// The remote answers every initial packet after <see cref="ReplyTime"/>; every host without an SA sends its
    /// initial packet again each <see cref="Retransmit"/>, host i at i ms into each second (as IKE daemons retransmit).
    /// </summary>
    private sealed class Stampede(int entriesPerPeer)
    {
        private readonly SingleProcessGateway _gateway = new(new MasqueradeOptions
        {
            PublicAddress = Public,
            Esp = new EspOptions { ParallelSessions = true },
            Limits = new LimitOptions { EntriesPerPeer = entriesPerPeer },
        });

        private readonly List<PeerEvent> _events = [];

        public PeerState Peer => _gateway.Peers[Remote];
        public int LongestQueue { get; private set; }

        public static uint Host(int i) => 0x0A01_0000u + (uint)i;
        public static uint OutboundSpi(int i) => 0x0001_0000u + (uint)i;
        public static uint InboundSpi(uint host) => 0x0002_0000u + (host - 0x0A01_0000u);

        public Verdict Out(byte[] frame, TimeSpan at) => Process(frame, Direction.Outbound, at);

        /// <summary>Runs the exchange; returns each turn's start (its initial packet sent) and reply, in order.</summary>
        public List<(uint Host, TimeSpan Start, TimeSpan Reply)> RunUntilEveryHostHasItsSa(TimeSpan limit)
        {
            var turns = new List<(uint, TimeSpan, TimeSpan)>();
            var served = new HashSet<uint>();
            (uint Host, TimeSpan Start, TimeSpan Due)? pending = null;
            for (var now = TimeSpan.Zero; served.Count < Hosts && now <= limit; now += TimeSpan.FromMilliseconds(1))
            {
                if (pending is { } p && now >= p.Due)
                {
                    Assert.Equal(VerdictAction.Forward, Process(EspIn(InboundSpi(p.Host)), Direction.Inbound, now).Action);
                    Assert.Equal(InboundSpi(p.Host), Peer.Esp.FindOutbound(p.Host, OutboundSpi((int)(p.Host - 0x0A01_0000u)))!.InboundSpi);
                    turns.Add((p.Host, p.Start, now));
                    served.Add(p.Host);
                    pending = null;
                }

                int i = (int)(now.TotalMilliseconds % Retransmit.TotalMilliseconds);
                if (i < Hosts && !served.Contains(Host(i)) && pending?.Host != Host(i))
                {
                    var verdict = Out(EspOut(Host(i), OutboundSpi(i)), now);
                    if (verdict.Action == VerdictAction.Forward)
                    {
                        Assert.Null(pending);
                        pending = (Host(i), now, now + ReplyTime);
                    }
                }
            }

            return turns;
        }

        /// <summary>
        /// The remote answers nothing; each of <paramref name="hosts"/> sends its initial packet every second, evenly
        /// spread. Returns every turn's start (an initial packet that made the outstanding entry) until each host had one.
        /// </summary>
        public List<(uint Host, TimeSpan Start)> RunUntilEveryHostHadATurnWithASilentRemote(int hosts, TimeSpan limit)
        {
            var starts = new List<(uint, TimeSpan)>();
            var hadTurn = new HashSet<uint>();
            int spacing = (int)Retransmit.TotalMilliseconds / hosts;
            for (var now = TimeSpan.Zero; hadTurn.Count < hosts && now <= limit; now += TimeSpan.FromMilliseconds(spacing))
            {
                int i = (int)(now.TotalMilliseconds % Retransmit.TotalMilliseconds) / spacing;
                var verdict = Out(EspOut(Host(i), OutboundSpi(i)), now);
                if (verdict.Action == VerdictAction.Forward && Peer.Esp.Outstanding is { } turn && turn.Inside == Host(i) && turn.Created == now)
                {
                    starts.Add((Host(i), now));
                    hadTurn.Add(Host(i));
                }
            }

            return starts;
        }

        private Verdict Process(byte[] frame, Direction direction, TimeSpan at)
        {
            _events.Clear();
            var verdict = _gateway.Process(frame, direction, at, _events);
            if (_gateway.Peers.TryGetValue(Remote, out var peer))
                LongestQueue = Math.Max(LongestQueue, peer.Esp.Waiting.Count);
            return verdict;
        }
    }
}
