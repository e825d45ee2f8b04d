using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using VpnMasq.Actors.Flows;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Peers;
using VpnMasq.Protocols.Masquerade.Snapshots;

namespace VpnMasq.Actors.Peers;

/// <summary>
/// The owner of one remote peer's masquerade state (DESIGN §1): a sharded, event-sourced shell
/// around <see cref="PeerState"/>. No rule logic lives here.
/// <para>
/// Group commit (issue 12). A decision is a value: it is applied to the in-memory state at once, so the next frame's
/// decision sees it (decisions stay serialized per peer: the actor takes one message at a time), and its events go
/// to the journal with PersistAllAsync, which does not stash: every frame that arrives while one write is in flight
/// is decided meanwhile, and Akka sends all their events to the journal as the next single write. Everything a
/// decision does outside this actor — its reply, the flows published to every node's cache, a snapshot, asking to
/// passivate — is an effect, and every effect goes through one ordered pipeline (<see cref="AfterJournal"/>): it
/// waits behind every event persisted before it, and the persist handlers, which Akka runs in journal order, release
/// it. So no verdict ever precedes the durability of what it depends on — its own events, and those of earlier
/// decisions it built on (the second frame of a new flow, which needs no event, is answered only after the first
/// frame's mapping is stored). Not DeferAsync, which does the same: it sends what it defers to the journal, alone
/// when no event follows it, and Akka.Persistence.Sql 1.5.73's SqlWriteJournal throws on a write without events
/// (<c>messagesList.Head()</c>); ten of those open the journal's circuit breaker and every peer's writes fail for
/// 30 s (`burst --flows 20000 --remotes 100` dropped every frame in 3 runs of 8).
/// </para>
/// <para>
/// Why the in-memory state may run ahead of the journal: it is seen by nothing outside this actor until an effect
/// carries it out, and effects wait for the journal. If a write fails, Akka calls OnPersistFailure and stops the
/// actor before any later effect runs; a rejected write stops it too (<see cref="OnPersistRejected"/>). The
/// restarted actor recovers from the journal, so the state that was only in memory is discarded, and nothing that
/// was answered or published depended on it. Snapshots and tables likewise are taken of the state as decided and
/// sent only once that state is journaled, and a snapshot's sequence number is then exactly the last event it
/// includes.
/// </para>
/// <para>
/// What is durable before its verdict: everything a decision changes (VPN state — ISAKMP cookies, ESP SPI
/// associations, PPTP Call IDs — and every port mapping), as before group commit; see docs/reliability.md, "What is
/// durable before its verdict". Only last-seen times are not journaled; they are saved with snapshots.
/// </para>
/// </summary>
public sealed class PeerActor : ReceivePersistentActor, IWithTimers
{
    private const string SweepTimer = "sweep";
    private const string ActivityTimer = "activity-snapshot";
    private const string PublicationTimer = "publish-flows";

    /// <summary>
    /// Flows changed by frames are published together, this long after the first change: projecting, sorting and
    /// shipping the table costs all its entries, and an owner that keeps up with a burst of new flows (its mailbox
    /// empty after each frame) would otherwise pay that per frame, O(entries²) for the burst. Other nodes hear of a
    /// change through distributed data's 100 ms notify interval anyway.
    /// </summary>
    private static readonly TimeSpan PublicationDelay = TimeSpan.FromMilliseconds(20);

    private readonly uint _remote;
    private readonly PeerActorSettings _settings;
    private readonly IActorRef _flowPublisher;
    private readonly string _owner;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly NodePeerCount _nodePeers = NodePeerCount.Get(Context.System);

    /// <summary>Counted against Masquerade:Limits:Peers: since recovery when it holds state, else from its first decision.</summary>
    private bool _admitted;
    private PeerState _state;
    private IReadOnlyList<EstablishedFlow> _published = [];
    private int _eventsSinceSnapshot;
    private bool _activityUnsaved;

    private readonly EffectsAfterJournal _effects = new();
    /// <summary>A <see cref="PublishTick"/> is on its way: frames share one flow publication (<see cref="PublicationDelay"/>).</summary>
    private bool _publicationScheduled;

    /// <summary>The latest frame time and when (monotonic clock) it was seen: sweeps advance the frame clock by real time.</summary>
    private TimeSpan _frameClock;
    private long _frameClockSetAt;

    public PeerActor(string entityId, LiveSettings masquerade, PeerActorSettings settings, IActorRef flowPublisher)
    {
        _remote = Ipv4Address.Parse(entityId);
        _settings = settings;
        _frameClockSetAt = settings.Clock.GetTimestamp();
        _flowPublisher = flowPublisher;
        _owner = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        Masquerade = masquerade;
        _state = new PeerState(_remote, Options);
        PersistenceId = "peer-" + entityId;

        // A remote that only ever drew drops (a scan, stray replies) holds nothing: let it go after a while.
        Context.SetReceiveTimeout(settings.IdleTimeout);

        Recover<SnapshotOffer>(offer => RecoverSnapshot((PeerSnapshot)offer.Snapshot));
        Recover<PeerEvent>(e => _state.Apply(e));
        Recover<RecoveryCompleted>(_ => Recovered());

        Command<DecideFrame>(Decide);
        Command<ReportActivity>(Touch);
        Command<SweepPeer>(m => Sweep(m.Now));
        Command<ClosePeer>(m => Close(m.At));
        Command<AnnounceSa>(Announce);
        Command<GetPeerTable>(_ => AnswerTable(Sender));
        Command<PublishTick>(_ => PublishDecidedFlows());
        Command<SweepTick>(_ => Sweep(FrameClockNow()));
        Command<ActivityTick>(_ => SaveActivity());
        Command<SaveSnapshotSuccess>(m => DeleteMessages(m.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(m => _log.Warning("peer {0}: snapshot failed: {1}", entityId, m.Cause.Message));
        Command<ReceiveTimeout>(_ => PassivateWhenEmpty());
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(m => _log.Warning("peer {0}: journal cleanup failed: {1}", entityId, m.Cause.Message));
    }

    public override string PersistenceId { get; }
    public ITimerScheduler Timers { get; set; } = null!;
    /// <summary>The node's settings: an immutable value swapped whole on a change, read once per decision.</summary>
    private LiveSettings Masquerade { get; }

    private MasqueradeOptions Options => Masquerade.Current.Options;

    public static Props Props(string entityId, LiveSettings masquerade, PeerActorSettings settings, IActorRef flowPublisher) =>
        Akka.Actor.Props.Create(() => new PeerActor(entityId, masquerade, settings, flowPublisher));

    protected override void PostStop()
    {
        if (_admitted)
            _nodePeers.Release();
        base.PostStop();
    }

    private void RecoverSnapshot(PeerSnapshot snapshot)
    {
        _state = new PeerState(_remote, Options);
        _state.Restore(snapshot);
    }

    private void Recovered()
    {
        // A peer that holds sessions (recovered after a restart or a failover) is never refused: they go on.
        if (!IsEmpty)
        {
            _nodePeers.Admit();
            _admitted = true;
        }

        _frameClock = _state.LastActivity;
        _frameClockSetAt = _settings.Clock.GetTimestamp();
        // A peer with a history publishes even an empty set: its previous owner may have died after journaling
        // the end of its last flows but before their retraction reached the other nodes' caches.
        Publish(_state.EstablishedFlows(), force: LastSequenceNr > 0);
        if (_settings.SweepInterval > TimeSpan.Zero)
            Timers.StartPeriodicTimer(SweepTimer, SweepTick.Instance, _settings.SweepInterval);
        if (_settings.ActivitySnapshotInterval > TimeSpan.Zero)
            Timers.StartPeriodicTimer(ActivityTimer, ActivityTick.Instance, _settings.ActivitySnapshotInterval);
    }

    private void Decide(DecideFrame m)
    {
        if (m.AnswerBy is { } answerBy && answerBy.HasPassed(_settings.Clock))
        {
            // The asking node gave up and dropped the frame (owner-unavailable): nothing was sent, so nothing changes.
            _log.Debug("peer {0}: frame arrived {1} after its node stopped waiting; not decided", PersistenceId, -answerBy.Left(_settings.Clock));
            return;
        }

        // The owner rewrites its own copy: a local asker's buffer stays the asker's (it may have given up on this
        // frame and dropped it); the answer carries the rewritten copy back, as it does from another node.
        var frame = m.Frame.ToArray();
        var d = m.Dissection;
        if (!Admitted())
        {
            RefuseNewPeer(m, d);
            return;
        }

        AdvanceClock(m.At);
        if (!d.IsOk)
        {
            var replyTo = Sender;
            var malformed = new FrameDecided(Verdict.Drop(DropReason.Malformed, ProtocolLabels.Of(d), _remote), frame, _owner);
            AfterJournal(() => replyTo.Tell(malformed));
            return;
        }

        var decision = _state.Decide(frame, d, m.Direction, Masquerade.Current, m.At);
        CountEvictions(decision);

        // A decision without events still moved last-seen times (PPTP control traffic, which no cache
        // translates, is nothing else): the next activity snapshot must save them, as for reported activity.
        if (decision.IsQuiet)
            _activityUnsaved = true;
        Record(decision, new FrameDecided(decision.Verdict, frame, _owner), Sender, coalescePublication: true);
    }

    private void Announce(AnnounceSa m)
    {
        if (!Admitted())
        {
            _nodePeers.Refuse();
            Sender.Tell(new AnnounceResult(DropReason.PeerLimit));
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            return;
        }

        AdvanceClock(m.At);
        var decision = _state.Announce(m.Inside, m.OutboundSpi, m.InboundSpi, Masquerade.Current, m.At);
        Record(decision, new AnnounceResult(decision.Verdict.Reason), Sender, coalescePublication: false);
    }

    private void Sweep(TimeSpan now)
    {
        // Only once the expiries are journaled and their retraction published: the shard answers Passivate
        // with a PoisonPill, which does not wait for a persist in flight.
        Record(_state.Sweep(Masquerade.Current, now), null, ActorRefs.Nobody, coalescePublication: false, PassivateWhenEmpty);
    }

    private void Close(TimeSpan at) =>
        Record(_state.CloseAll(Masquerade.Current, at, RemovalCause.AddressChanged), null, ActorRefs.Nobody, coalescePublication: false);

    /// <summary>
    /// Applies the decision now, so the next one builds on it, and journals its events without stashing; its
    /// effects — <paramref name="reply"/>, the flows, a due snapshot, <paramref name="then"/> — leave once its events
    /// and every earlier decision's are journaled. Frames coalesce their flow publication (<see cref="FlowsMayHaveChanged"/>);
    /// sweeps, closes and announcements publish with their own effects, so a sweep that empties the peer has retracted
    /// its flows before it asks to passivate.
    /// </summary>
    private void Record(PeerDecision decision, object? reply, IActorRef replyTo, bool coalescePublication, Action? then = null)
    {
        _state.Apply(decision);
        List<EstablishedFlow>? flows = null;
        if (!decision.IsQuiet)
        {
            PersistAllAsync(decision.Events, _ => _effects.Journaled());
            _effects.Persisting(decision.Events.Count);
            _eventsSinceSnapshot += decision.Events.Count;
            if (coalescePublication)
                FlowsMayHaveChanged();
            else
                flows = _state.EstablishedFlows();
        }

        var snapshot = _eventsSinceSnapshot >= _settings.SnapshotEvery ? TakeSnapshot() : null;
        AfterJournal(() =>
        {
            if (reply is not null)
                replyTo.Tell(reply);
            if (flows is not null)
                Publish(flows);
            if (snapshot is not null)
                SaveSnapshot(snapshot);
            then?.Invoke();
        });
    }

    /// <summary>
    /// Runs <paramref name="effect"/> once every event persisted so far is journaled — at once when none is pending —
    /// in the order effects were asked for. A failed write stops the actor before any persist handler after it runs,
    /// so its effects and all later ones never do; a rejected write stops the actor too, and halts them until it has.
    /// </summary>
    private void AfterJournal(Action effect) => _effects.Run(effect);

    /// <summary>The table as decided so far, answered once all of it is journaled (with the sequence number it includes).</summary>
    private void AnswerTable(IActorRef asker)
    {
        var table = _state.TakeSnapshot();
        AfterJournal(() => asker.Tell(new PeerTable(table, _owner, LastSequenceNr)));
    }

    /// <summary>
    /// The journal refused an event (it would not serialize, or broke a constraint) and Akka carries on by
    /// default; the decision it belonged to is applied in memory but was never answered, and later ones may have
    /// built on it: stop, so the peer starts again from what the journal really has.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _effects.Halt();
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self);
    }

    private void Touch(ReportActivity m)
    {
        foreach (var seen in m.Flows)
        {
            if (_state.Touch(seen.Flow, seen.At))
                _activityUnsaved = true;
            AdvanceClock(seen.At);
        }
    }

    private void SaveActivity()
    {
        if (!_activityUnsaved || _state.EntryCount == 0)
            return;
        var snapshot = TakeSnapshot();
        AfterJournal(() => SaveSnapshot(snapshot));
    }

    /// <summary>
    /// The state as decided so far, to be saved only once it is all journaled: SaveSnapshot then stamps it with the
    /// sequence number of its last event, and a snapshot never holds what the journal might still lose.
    /// </summary>
    private PeerSnapshot TakeSnapshot()
    {
        _eventsSinceSnapshot = 0;
        _activityUnsaved = false;
        return _state.TakeSnapshot();
    }

    /// <summary>Frames do not project the flows themselves: they ask for one <see cref="PublishTick"/> (<see cref="PublicationDelay"/>).</summary>
    private void FlowsMayHaveChanged()
    {
        if (_publicationScheduled)
            return;
        _publicationScheduled = true;
        Timers.StartSingleTimer(PublicationTimer, PublishTick.Instance, PublicationDelay);
    }

    /// <summary>The flows of every decision so far, published once those decisions are journaled.</summary>
    private void PublishDecidedFlows()
    {
        _publicationScheduled = false;
        var flows = _state.EstablishedFlows();
        AfterJournal(() => Publish(flows));
    }

    /// <summary>Tells every node's flow cache what it may translate without asking; only when it changed.</summary>
    private void Publish(List<EstablishedFlow> flows, bool force = false)
    {
        if (!force && flows.SequenceEqual(_published))
            return;
        _published = flows;
        _flowPublisher.Tell(new PublishFlows(_remote, flows));
    }

    /// <summary>Masquerade:Limits:EntriesPerPeer made room for this decision: counted, and logged (throttled per node).</summary>
    private void CountEvictions(PeerDecision decision)
    {
        int evicted = 0;
        foreach (var e in decision.Events)
        {
            if (e is PortUnmapped { Cause: RemovalCause.Evicted } or IcmpUnmapped { Cause: RemovalCause.Evicted } or IsakmpExchangeRemoved { Cause: RemovalCause.Evicted })
                evicted++;
        }

        if (evicted > 0 && _nodePeers.Evict(evicted))
        {
            _log.Warning("peer {0}: its table is at Masquerade:Limits:EntriesPerPeer ({1}); the least recently used mapping was evicted ({2} evicted on this node so far)",
                Ipv4Address.Format(_remote), Options.Limits.EntriesPerPeer, _nodePeers.Evicted);
        }
    }

    /// <summary>True once this peer counts against the node's peer limit; a new one is admitted while there is room.</summary>
    private bool Admitted() => _admitted || (_admitted = _nodePeers.TryAdmit(Options.Limits.Peers));

    private bool IsEmpty => _state.IsEmpty;

    /// <summary>
    /// This node already runs as many peers as Masquerade:Limits:Peers allows, and this one holds nothing: it is
    /// refused (peer-limit, as the engine refuses a new peer) and stops, so a flood of new remotes costs no memory.
    /// A peer that holds entries (recovered after a failover, or live) is never refused: its sessions go on.
    /// </summary>
    private void RefuseNewPeer(DecideFrame m, in Dissection d)
    {
        if (_nodePeers.Refuse())
        {
            _log.Warning("peer {0} refused (peer-limit): this node runs {1} peers, Masquerade:Limits:Peers is {2}; {3} refused so far",
                Ipv4Address.Format(_remote), _nodePeers.Count, Options.Limits.Peers, _nodePeers.Refused);
        }

        Sender.Tell(new FrameDecided(Verdict.Drop(DropReason.PeerLimit, ProtocolLabels.Of(d), _remote), m.Frame, _owner));
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    /// <summary>
    /// A peer with nothing in its table stops, and with remembered entities it is then forgotten, so
    /// idle peers cost no memory and are not restarted after a failover. Never with effects still waiting for the
    /// journal: the shard's PoisonPill would drop them.
    /// </summary>
    private void PassivateWhenEmpty()
    {
        if (_effects.Idle && IsEmpty)
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    private void AdvanceClock(TimeSpan at)
    {
        if (at <= _frameClock)
            return;
        _frameClock = at;
        _frameClockSetAt = _settings.Clock.GetTimestamp();
    }

    private TimeSpan FrameClockNow() => _frameClock + _settings.Clock.GetElapsedTime(_frameClockSetAt);

    private sealed class SweepTick : INotInfluenceReceiveTimeout
    {
        public static readonly SweepTick Instance = new();
    }

    private sealed class ActivityTick : INotInfluenceReceiveTimeout
    {
        public static readonly ActivityTick Instance = new();
    }

    private sealed class PublishTick : INotInfluenceReceiveTimeout
    {
        public static readonly PublishTick Instance = new();
    }

}
