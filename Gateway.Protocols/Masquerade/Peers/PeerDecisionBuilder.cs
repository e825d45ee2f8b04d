using VpnMasq.Protocols.Masquerade.Esp;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Pptp;

namespace VpnMasq.Protocols.Masquerade.Peers;

/// <summary>
/// Collects one decision while the protocol rules run. The rules read the peer's tables and never write them:
/// a rule that must see its own change later in the same decision (the ESP turn queue, PPTP calls mapped by one
/// message and named by the next in the same segment) reads a private copy of that small table instead, made on
/// its first event. The port and ICMP tables, which a flood makes large, are never copied: their rules carry what
/// they changed in locals (<see cref="FreedPorts"/>, <see cref="Freed"/>).
/// One per peer, reused decision after decision (a flood of refused frames must cost little): what it hands out in
/// <see cref="Finish"/> is never touched again.
/// </summary>
internal sealed class PeerDecisionBuilder(PeerState peer)
{
    private static readonly PeerEvent[] NoEvents = [];
    private static readonly EstablishedFlow[] NoFlows = [];
    private PeerEvent? _first;
    private List<PeerEvent>? _events;
    private List<EstablishedFlow>? _seen;
    private EspTable? _esp;
    private PptpCallTable? _calls;

    public PeerState Peer { get; } = peer;
    public uint Remote => Peer.Remote;
    public MasqueradeSettings Settings { get; private set; } = null!;
    public MasqueradeOptions Options => Settings.Options;
    public uint PublicAddress => Settings.PublicAddress;
    public TimeSpan Now { get; private set; }

    /// <summary>Starts a decision at <paramref name="now"/> under <paramref name="settings"/>.</summary>
    public PeerDecisionBuilder Begin(MasqueradeSettings settings, TimeSpan now)
    {
        Settings = settings;
        Now = now;
        _first = null;
        _events = null;
        _seen = null;
        _esp = null;
        _calls = null;
        Freed = 0;
        FreedPorts = null;
        FreedIcmpIds = null;
        Stream = null;
        return this;
    }

    /// <summary>The ESP table as this decision has changed it so far.</summary>
    public EspTable Esp => _esp ?? Peer.Esp;

    /// <summary>The PPTP calls as this decision has changed them so far.</summary>
    public PptpCallTable Calls => _calls ?? Peer.Calls;

    /// <summary>Entries this decision has removed so far: the table is that much less full.</summary>
    public int Freed { get; private set; }

    /// <summary>Port mappings this decision removed: their public ports are free again for a new mapping.</summary>
    public List<PortUnmapped>? FreedPorts { get; private set; }

    /// <summary>ICMP identifiers this decision freed.</summary>
    public List<ushort>? FreedIcmpIds { get; private set; }

    public PptpStreamUpdate? Stream { get; set; }

    /// <summary>Whether this decision has removed the mapping.</summary>
    public bool Removed(Ports.PortMapping mapping) =>
        Ports.PortTable.WasFreed(FreedPorts, mapping.Protocol, mapping.PublicPort, mapping.RemotePort);

    /// <summary>Records a state change for the caller to journal and apply.</summary>
    public void Emit(PeerEvent e)
    {
        if (_first is null)
            _first = e;
        else
            (_events ??= [_first]).Add(e);
        switch (e)
        {
            // Only a removal is read back (the turn it frees, the entry it ends): every other ESP event ends its
            // decision, so a stampede of blocked hosts does not copy the turn queue once per blocked packet.
            case EspEntryRemoved:
                (_esp ??= Peer.Esp.Clone()).Apply(e);
                break;
            case EspInitStarted or EspInitBlocked or EspInitRetried or EspSpiAssociated:
                _esp?.Apply(e);
                break;
            case PptpCallMapped or PptpPeerCallIdLearned or PptpCallUnmapped:
                (_calls ??= Peer.Calls.Clone()).Apply(e);
                break;
        }

        switch (e)
        {
            case PortUnmapped port:
                (FreedPorts ??= []).Add(port);
                Freed++;
                break;
            case IcmpUnmapped icmp:
                (FreedIcmpIds ??= []).Add(icmp.PublicId);
                Freed++;
                break;
            case IsakmpExchangeRemoved { Inside: not 0 } or EspEntryRemoved or PptpCallUnmapped:
                Freed++;
                break;
        }
    }

    /// <summary>The frame kept <paramref name="flow"/> alive: its last-seen moves to now when the decision is applied.</summary>
    public void Saw(in EstablishedFlow flow) => (_seen ??= []).Add(flow);

    public Verdict Drop(DropReason reason, ProtocolLabel label, uint inside = 0) => Verdict.Drop(reason, label, Remote, inside);

    public Verdict Send(ProtocolLabel label, uint inside, Side side) => Verdict.Send(label, Remote, inside, side);

    public PeerDecision Finish(Verdict verdict, bool frameSeen = false)
    {
        IReadOnlyList<PeerEvent> events = _events is not null ? _events : _first is null ? NoEvents : [_first];
        return new(verdict, events, (IReadOnlyList<EstablishedFlow>?)_seen ?? NoFlows, Now) { Stream = Stream, FrameSeen = frameSeen };
    }
}
