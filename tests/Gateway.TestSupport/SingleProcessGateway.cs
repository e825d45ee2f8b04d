using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Firewall;
using VpnMasq.Protocols.Masquerade.Front;

namespace VpnMasq.TestSupport;

/// <summary>
/// The whole gateway in one process, for tests: the node's <see cref="GatewayFront"/> and every peer's
/// <see cref="PeerState"/> in a dictionary, each decision applied as soon as it is made. A node runs the same front
/// and the same peer decisions, with an event-sourced actor per peer in between; this is the reference the actor
/// and cluster tests compare the node with, and what rule tests drive without Akka. Single-threaded.
/// </summary>
public sealed class SingleProcessGateway
{
    private readonly Dictionary<uint, PeerState> _peers = [];

    public SingleProcessGateway(MasqueradeOptions options) => Front = new GatewayFront(options);

    public GatewayFront Front { get; }
    public MasqueradeSettings Settings => Front.Settings;
    public LiveSettings Live => Front.Live;
    public FirewallRules Firewall => Front.Firewall;
    public IReadOnlyDictionary<uint, PeerState> Peers => _peers;

    public Direction DirectionOf(in Dissection d) => Front.DirectionOf(d);

    /// <summary>Decides one Ethernet frame, rewriting it in place; the deciding peer's events are appended to <paramref name="events"/>.</summary>
    public Verdict Process(byte[] frame, Direction? direction, TimeSpan now, List<PeerEvent> events) =>
        Process(frame, FrameDissector.Dissect(LinkType.Ethernet, frame), direction, now, events);

    public Verdict Process(byte[] frame, in Dissection d, Direction? direction, TimeSpan now, List<PeerEvent> events)
    {
        if (Front.Prepare(frame, d, direction, now, out var request) is { } early)
            return early;
        bool known = _peers.ContainsKey(request.Peer);
        var peer = FindOrCreatePeer(request.Peer);
        if (peer is null)
            return Verdict.Drop(DropReason.PeerLimit, ProtocolLabels.Of(request.Dissection), request.Peer);
        var decision = peer.Decide(request.Frame, request.Dissection, request.Direction, Settings, now);
        peer.Apply(decision);
        events.AddRange(decision.Events);

        // A frame that left nothing behind (spoofed sources, each dropped no-mapping) must not hold a place under the peer limit.
        if (!known && peer.IsEmpty)
            _peers.Remove(request.Peer);
        return Front.Complete(request, decision.Verdict);
    }

    public IEnumerable<KeyValuePair<string, long>> FrontCounters() => Front.FrontCounters();

    /// <summary>Expires entries everywhere and forgets peers that hold nothing; returns each peer's events.</summary>
    public IReadOnlyList<(uint Peer, PeerEvent Event)> Sweep(TimeSpan now)
    {
        var all = new List<(uint, PeerEvent)>();
        foreach (var (address, peer) in _peers.ToList())
        {
            var decision = peer.Sweep(Settings, now);
            peer.Apply(decision);
            all.AddRange(decision.Events.Select(e => (address, e)));
            if (peer.IsEmpty)
                _peers.Remove(address);
        }

        Front.ExpireFragments(now);
        return all;
    }

    /// <summary>The public address changed ("auto", DESIGN §3.7): every mapping bound to the old one closes at once.</summary>
    public IReadOnlyList<(uint Peer, PeerEvent Event)> ChangePublicAddress(uint address, TimeSpan now)
    {
        var all = new List<(uint, PeerEvent)>();
        if (address == Settings.PublicAddress)
            return all;
        Front.ChangePublicAddress(address);
        foreach (var (peerAddress, peer) in _peers)
        {
            var decision = peer.CloseAll(Settings, now, RemovalCause.AddressChanged);
            peer.Apply(decision);
            all.AddRange(decision.Events.Select(e => (peerAddress, e)));
        }

        return all;
    }

    /// <summary>Returns the peer's state, creating it; null when the peer limit is reached (a flood of new remotes).</summary>
    public PeerState? FindOrCreatePeer(uint address)
    {
        if (_peers.TryGetValue(address, out var peer))
            return peer;
        if (_peers.Count >= Settings.Options.Limits.Peers)
            return null;
        peer = new PeerState(address, Settings.Options);
        _peers[address] = peer;
        return peer;
    }
}
