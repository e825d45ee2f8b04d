using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade.Esp;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Icmp;
using VpnMasq.Protocols.Masquerade.Isakmp;
using VpnMasq.Protocols.Masquerade.Peers;
using VpnMasq.Protocols.Masquerade.Ports;
using VpnMasq.Protocols.Masquerade.Pptp;
using VpnMasq.Protocols.Masquerade.Snapshots;

namespace VpnMasq.Protocols.Masquerade;

/// <summary>
/// Everything the gateway knows about one remote peer (DESIGN §3.1–§3.5), one table per protocol, and the dispatch of
/// a frame to its protocol's rules (<c>Masquerade/&lt;Protocol&gt;/</c>). Deciding reads the tables and returns a
/// <see cref="PeerDecision"/>; only <see cref="Apply(PeerDecision)"/> and <see cref="Apply(PeerEvent)"/> change them,
/// so replaying a journal on a fresh instance rebuilds the same table. Not thread-safe: one owner.
/// </summary>
public sealed class PeerState
{
    private readonly Dictionary<(uint Inside, ushort InsidePort, ushort RemotePort), PptpControlConnection> _controlConnections = [];
    private readonly PeerDecisionBuilder _builder;

    public PeerState(uint remote, MasqueradeOptions options)
    {
        Remote = remote;
        _builder = new PeerDecisionBuilder(this);
        Esp = new EspTable(options.Limits.EntriesPerPeer, options.Esp.InitLifetime);
    }

    public uint Remote { get; }
    public PortTable Ports { get; } = new();
    public IcmpTable Icmp { get; } = new();
    public IsakmpTable Isakmp { get; } = new();
    public EspTable Esp { get; }
    public PptpCallTable Calls { get; } = new();

    /// <summary>Frame time of the last decision; the gateway evicts idle, empty peers by it.</summary>
    public TimeSpan LastActivity { get; private set; }

    public int EntryCount => Ports.Count + Icmp.Count + Isakmp.Count + Esp.Count + Calls.Count;

    /// <summary>Holds nothing at all, not even a host waiting for its ESP turn: the peer may be forgotten.</summary>
    public bool IsEmpty => EntryCount == 0 && Esp.Waiting.Count == 0;

    /// <summary>
    /// Decides one frame to or from this peer, rewriting it in place when it is to be sent. The tables are not changed:
    /// apply the decision (after journaling its events) for that.
    /// </summary>
    public PeerDecision Decide(byte[] frame, in Dissection d, Direction direction, MasqueradeSettings settings, TimeSpan now)
    {
        var b = _builder.Begin(settings, now);
        return b.Finish(direction == Direction.Outbound ? Outbound(b, frame, d) : Inbound(b, frame, d), frameSeen: true);
    }

    private static Verdict Outbound(PeerDecisionBuilder b, byte[] frame, in Dissection d) => ProtocolOf(d) switch
    {
        FlowKind.Esp => EspRules.Outbound(b, frame, d),
        FlowKind.Isakmp => IsakmpRules.Outbound(b, frame, d),
        FlowKind.Port => PortRules.Outbound(b, frame, d),
        FlowKind.Icmp => IcmpRules.Outbound(b, frame, d),
        FlowKind.Gre => GreRules.Outbound(b, frame, d),
        _ => OtherProtocols.Outbound(b, d),
    };

    private static Verdict Inbound(PeerDecisionBuilder b, byte[] frame, in Dissection d) => ProtocolOf(d) switch
    {
        FlowKind.Esp => EspRules.Inbound(b, frame, d),
        FlowKind.Isakmp => IsakmpRules.Inbound(b, frame, d),
        FlowKind.Port => PortRules.Inbound(b, frame, d),
        FlowKind.Icmp => IcmpRules.Inbound(b, frame, d),
        FlowKind.Gre => GreRules.Inbound(b, frame, d),
        _ => OtherProtocols.Inbound(b, frame, d),
    };

    /// <summary>
    /// Which protocol's rules and table a frame belongs to: the one place that says so, for the owner and the flow cache.
    /// ISAKMP is 500 -> 500 only; UDP to or from 500 otherwise (a client behind another NAT), NAT-T and plain TCP/UDP
    /// are port mappings. 0 for the rest (AH, other protocols, fragments).
    /// </summary>
    public static FlowKind ProtocolOf(in Dissection d) => d.Kind switch
    {
        FrameKind.Esp => FlowKind.Esp,
        FrameKind.Isakmp when d.SourcePort == FrameDissector.IsakmpPort && d.DestinationPort == FrameDissector.IsakmpPort => FlowKind.Isakmp,
        FrameKind.Tcp or FrameKind.Udp or FrameKind.Isakmp or FrameKind.NatTEsp or FrameKind.NatTIsakmp or FrameKind.NatTKeepalive => FlowKind.Port,
        FrameKind.Icmp => FlowKind.Icmp,
        FrameKind.Gre => FlowKind.Gre,
        _ => 0,
    };

    /// <summary>Every entry whose lifetime has passed at <paramref name="now"/>, removed. Decisions expire what they touch lazily; this reclaims the rest.</summary>
    public PeerDecision Sweep(MasqueradeSettings settings, TimeSpan now)
    {
        var b = _builder.Begin(settings, now);
        PortRules.Sweep(b);
        IcmpRules.Sweep(b);
        IsakmpRules.Sweep(b);
        EspRules.Sweep(b);
        GreRules.Sweep(b);
        return b.Finish(default);
    }

    /// <summary>Every entry closed at once: the public address changed, so none of them can work (DESIGN §3.7).</summary>
    public PeerDecision CloseAll(MasqueradeSettings settings, TimeSpan now, RemovalCause cause)
    {
        var b = _builder.Begin(settings, now);
        GreRules.CloseAll(b, cause);
        PortRules.CloseAll(b, cause);
        IcmpRules.CloseAll(b, cause);
        IsakmpRules.CloseAll(b, cause);
        EspRules.CloseAll(b, cause);
        return b.Finish(default);
    }

    /// <summary>An SA pair announced through the management API (HOWTO §6.2's "best solution"); the verdict's reason says why not.</summary>
    public PeerDecision Announce(uint inside, uint outboundSpi, uint inboundSpi, MasqueradeSettings settings, TimeSpan now)
    {
        var b = _builder.Begin(settings, now);
        var refusal = EspRules.Announce(b, inside, outboundSpi, inboundSpi);
        return b.Finish(refusal == DropReason.None ? default : b.Drop(refusal, ProtocolLabel.Esp, inside));
    }

    /// <summary>Applies a decision: its events in order, then the activity it saw.</summary>
    public void Apply(PeerDecision decision)
    {
        foreach (var e in decision.Events)
            Apply(e);
        foreach (var flow in decision.Seen)
            Touch(flow, decision.At);
        if (decision.Stream is { } stream)
            _controlConnections[stream.Connection] = stream.Reader;
        if (decision.FrameSeen)
            LastActivity = FlowTranslation.Later(LastActivity, decision.At);
    }

    /// <summary>Applies one event. Used by <see cref="Apply(PeerDecision)"/> and to recover from a journal.</summary>
    public void Apply(PeerEvent e)
    {
        switch (e)
        {
            case PortMapped x: Ports.Apply(x); break;
            case TcpStateChanged x: Ports.Apply(x); break;
            case PortUnmapped x:
                if (Ports.FindInbound(x.Protocol, x.PublicPort, x.RemotePort) is { } gone)
                    _controlConnections.Remove((gone.Inside, gone.InsidePort, gone.RemotePort));
                Ports.Apply(x);
                break;
            case IcmpMapped x: Icmp.Apply(x); break;
            case IcmpUnmapped x: Icmp.Apply(x); break;
            case IsakmpExchangeStarted x: Isakmp.Apply(x); break;
            case IsakmpResponderLearned x: Isakmp.Apply(x); break;
            case IsakmpSpeakerChanged x: Isakmp.Apply(x); break;
            case IsakmpExchangeRemoved x: Isakmp.Apply(x); break;
            case EspInitStarted or EspInitBlocked or EspInitRetried or EspSpiAssociated or EspEntryRemoved: Esp.Apply(e); break;
            case PptpCallMapped or PptpPeerCallIdLearned or PptpCallUnmapped: Calls.Apply(e); break;
            default: throw new ArgumentException($"Unknown peer event {e.GetType().Name}.", nameof(e));
        }

        LastActivity = FlowTranslation.Later(LastActivity, e.At);
    }

    /// <summary>
    /// The flows whose next frames change nothing but last-seen, so a flow cache may translate them exactly as the
    /// rules would, sorted so two equal tables publish equal lists. Each protocol says which of its entries qualify.
    /// </summary>
    public List<EstablishedFlow> EstablishedFlows()
    {
        var flows = new List<EstablishedFlow>();
        EspFlows.Project(Esp, flows);
        IsakmpFlows.Project(Isakmp, flows);
        PortFlows.Project(Ports, flows);
        IcmpFlows.Project(Icmp, flows);
        GreFlows.Project(Calls, flows);
        flows.Sort(EstablishedFlowOrder.Instance);
        return flows;
    }

    /// <summary>
    /// Frames of <paramref name="flow"/> were translated up to <paramref name="at"/> (by a flow cache, or by a decision):
    /// keep the entry alive. Not an event: activity is persisted coarsely, with the next snapshot (DESIGN §1).
    /// </summary>
    public bool Touch(in EstablishedFlow flow, TimeSpan at)
    {
        bool found = flow.Kind switch
        {
            FlowKind.Esp => EspFlows.Touch(Esp, flow, at),
            FlowKind.Isakmp => IsakmpFlows.Touch(Isakmp, flow, at),
            FlowKind.Port => PortFlows.Touch(Ports, flow, at),
            FlowKind.Icmp => IcmpFlows.Touch(Icmp, flow, at),
            FlowKind.Gre => GreFlows.Touch(Calls, flow, at),
            _ => false,
        };
        if (found)
            LastActivity = FlowTranslation.Later(LastActivity, at);
        return found;
    }

    /// <summary>The whole table as data (DESIGN §1: snapshots), so recovery need not replay a peer's entire history.</summary>
    public PeerSnapshot TakeSnapshot() => new(
        Remote, LastActivity, Ports.Rows(), Icmp.Rows(), Isakmp.Rows(), Isakmp.LatestSpeaker,
        Esp.Rows(), Esp.Waiters(), Esp.Rekeys(), Esp.TurnEndedHost, Calls.Rows(), Ports.Cursor, Icmp.Cursor);

    /// <summary>Rebuilds a fresh peer from a snapshot (recovery). The peer must be empty.</summary>
    public void Restore(PeerSnapshot snapshot)
    {
        if (snapshot.Remote != Remote)
            throw new ArgumentException($"Snapshot of peer {snapshot.Remote} restored into peer {Remote}.", nameof(snapshot));
        if (!IsEmpty)
            throw new InvalidOperationException("Restore needs an empty peer.");
        LastActivity = snapshot.LastActivity;
        Ports.Restore(snapshot.Ports, snapshot.PortCursor);
        Icmp.Restore(snapshot.Icmp, snapshot.IcmpCursor);
        Isakmp.Restore(snapshot.Isakmp, snapshot.IsakmpLatestSpeaker);
        Esp.Restore(snapshot.Esp, snapshot.EspWaiting, snapshot.EspLastRekey, snapshot.EspTurnEndedHost);
        Calls.Restore(snapshot.Calls);
    }

    internal PptpControlConnection? ControlConnection((uint, ushort, ushort) key) => _controlConnections.GetValueOrDefault(key);
}
