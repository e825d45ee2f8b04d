using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade.Esp;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Isakmp;
using VpnMasq.Protocols.Masquerade.Ports;
using VpnMasq.Protocols.Masquerade.Pptp;

namespace VpnMasq.Protocols.Masquerade;

/// <summary>
/// Everything the gateway knows about one remote peer (DESIGN §3.1–§3.5): port and ICMP mappings,
/// ISAKMP cookies, ESP associations and their init serialization, PPTP Call IDs. Decisions change
/// state only by emitting events (applied at once and handed to the caller to persist), so
/// replaying the events on a fresh instance rebuilds the same table. Not thread-safe: one owner.
/// </summary>
public sealed partial class PeerState
{
    private readonly MasqueradeSettings _settings;
    private readonly Dictionary<(uint Inside, ushort InsidePort, ushort RemotePort), PptpControlConnection> _controlConnections = [];
    private List<PeerEvent>? _events;

    public PeerState(uint remote, MasqueradeSettings settings)
    {
        Remote = remote;
        _settings = settings;
        Esp = new EspTable(settings.Options.Limits.EntriesPerPeer);
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

    private MasqueradeOptions Options => _settings.Options;
    private uint PublicAddress => _settings.PublicAddress;

    /// <summary>
    /// Decides what to do with one frame to or from this peer and rewrites it in place. Events
    /// describing any state change are appended to <paramref name="events"/>.
    /// </summary>
    public Verdict Handle(byte[] frame, in Dissection d, Direction direction, TimeSpan now, List<PeerEvent> events)
    {
        _events = events;
        LastActivity = now;
        try
        {
            return direction == Direction.Outbound ? HandleOutbound(frame, d, now) : HandleInbound(frame, d, now);
        }
        finally
        {
            _events = null;
        }
    }

    private Verdict HandleOutbound(byte[] frame, in Dissection d, TimeSpan now) => d.Kind switch
    {
        FrameKind.Esp => OutboundEsp(frame, d, now),
        FrameKind.Isakmp when d.SourcePort == FrameDissector.IsakmpPort && d.DestinationPort == FrameDissector.IsakmpPort
            => OutboundIsakmp(frame, d, now),
        FrameKind.Tcp or FrameKind.Udp or FrameKind.Isakmp or FrameKind.NatTEsp or FrameKind.NatTIsakmp or FrameKind.NatTKeepalive
            => OutboundPort(frame, d, now),
        FrameKind.Icmp => OutboundIcmp(frame, d, now),
        FrameKind.Gre => OutboundGre(frame, d, now),
        FrameKind.Ah => Verdict.Drop(DropReason.AhNotMasqueradable, ProtocolLabel.Ah, Remote, d.Source),
        _ => OutboundOtherProtocol(frame, d),
    };

    private Verdict HandleInbound(byte[] frame, in Dissection d, TimeSpan now) => d.Kind switch
    {
        FrameKind.Esp => InboundEsp(frame, d, now),
        FrameKind.Isakmp when d.SourcePort == FrameDissector.IsakmpPort && d.DestinationPort == FrameDissector.IsakmpPort
            => InboundIsakmp(frame, d, now),
        FrameKind.Tcp or FrameKind.Udp or FrameKind.Isakmp or FrameKind.NatTEsp or FrameKind.NatTIsakmp or FrameKind.NatTKeepalive
            => InboundPort(frame, d, now),
        FrameKind.Icmp => InboundIcmp(frame, d, now),
        FrameKind.Gre => InboundGre(frame, d, now),
        FrameKind.Ah => Verdict.Drop(DropReason.AhNotMasqueradable, ProtocolLabel.Ah, Remote),
        _ => InboundOtherProtocol(frame, d),
    };

    /// <summary>Records a state change: applied now, persisted by the caller.</summary>
    private void Emit(PeerEvent e)
    {
        Apply(e);
        _events?.Add(e);
    }

    /// <summary>Applies one event. Used live (through Emit) and to recover from a journal.</summary>
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
            case EspInitStarted x: Esp.Apply(x); break;
            case EspInitBlocked x: Esp.Apply(x); break;
            case EspInitRetried x: Esp.Apply(x); break;
            case EspSpiAssociated x: Esp.Apply(x); break;
            case EspEntryRemoved x: Esp.Apply(x); break;
            case PptpCallMapped x: Calls.Apply(x); break;
            case PptpPeerCallIdLearned x: Calls.Apply(x); break;
            case PptpCallUnmapped x: Calls.Apply(x); break;
            default: throw new ArgumentException($"Unknown peer event {e.GetType().Name}.", nameof(e));
        }

        if (e.At > LastActivity)
            LastActivity = e.At;
    }

    private Span<byte> Datagram(byte[] frame, in Dissection d) => frame.AsSpan(d.NetworkOffset, d.IpTotalLength);
}
