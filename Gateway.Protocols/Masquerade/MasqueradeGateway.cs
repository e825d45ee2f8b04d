using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Firewall;
using VpnMasq.Protocols.Masquerade.Fragments;

namespace VpnMasq.Protocols.Masquerade;

/// <summary>
/// The gateway-wide front (DESIGN §1): dissects a frame, reassembles fragments, applies the
/// firewall, finds the remote peer and hands the frame to its <see cref="PeerState"/>, then
/// re-fragments to the link MTU. Single-threaded; the actor layer gives each peer its own owner.
/// </summary>
public sealed class MasqueradeGateway
{
    private readonly Dictionary<uint, PeerState> _peers = [];
    private readonly FragmentReassembler _reassembler;
    private readonly FrameDecision _decision;

    public MasqueradeGateway(MasqueradeOptions options)
    {
        Settings = new MasqueradeSettings(options);
        Firewall = options.Rules.Count == 0
            ? FirewallRules.MasqueradeEverything
            : FirewallRules.Parse(options.Rules, options.InsideInterface);
        _reassembler = new FragmentReassembler(options.Limits);
        _decision = new FrameDecision(Settings, Firewall);
    }

    public MasqueradeSettings Settings { get; }
    public FirewallRules Firewall { get; }
    public IReadOnlyDictionary<uint, PeerState> Peers => _peers;

    /// <summary>Frames whose IPv4 source is in an Inside network are outbound (DESIGN §5.2).</summary>
    public Direction DirectionOf(in Dissection d) => Settings.Options.IsInside(d.Source) ? Direction.Outbound : Direction.Inbound;

    /// <summary>
    /// Decides one Ethernet frame. <paramref name="frame"/> may be rewritten in place; events for
    /// state changes of the verdict's peer are appended to <paramref name="events"/>.
    /// </summary>
    public Verdict Process(byte[] frame, Direction? direction, TimeSpan now, List<PeerEvent> events) =>
        Process(frame, FrameDissector.Dissect(LinkType.Ethernet, frame), direction, now, events);

    /// <summary>Decides a frame the caller has already dissected (so it is read once per frame).</summary>
    public Verdict Process(byte[] frame, in Dissection d, Direction? direction, TimeSpan now, List<PeerEvent> events)
    {
        if (Prepare(frame, d, direction, now, out var request) is { } early)
            return early;
        var peer = FindOrCreatePeer(request.Peer);
        if (peer is null)
            return Verdict.Drop(DropReason.PeerLimit, LabelOf(request.Dissection), request.Peer);
        var verdict = peer.Handle(request.Frame, request.Dissection, request.Direction, now, events);
        return Complete(request, verdict);
    }

    /// <summary>
    /// Everything before the peer's decision: dissection checks, fragment reassembly, the firewall chains
    /// before masquerade. Returns the verdict when one is reached without the peer; otherwise null, and
    /// <paramref name="request"/> says what the peer must decide. The actor pipeline asks the peer's owner
    /// in between; <see cref="Process(byte[], in Dissection, Direction?, TimeSpan, List{PeerEvent})"/> asks the local peer.
    /// </summary>
    public Verdict? Prepare(byte[] frame, in Dissection d, Direction? direction, TimeSpan now, out PeerRequest request)
    {
        request = default;
        if (d.Kind == FrameKind.NotIpv4 && d.IsOk)
            return Verdict.Drop(DropReason.NotIpv4, ProtocolLabel.Other, 0);
        if (!d.IsOk)
            return Verdict.Drop(DropReason.Malformed, LabelOf(d), PeerOf(d, direction ?? DirectionOf(d)));
        var dir = direction ?? DirectionOf(d);
        if (ChecksumIntake.Check(frame.AsSpan(d.NetworkOffset)) == IntakeResult.Corrupt)
            return Verdict.Drop(DropReason.BadChecksum, LabelOf(d), PeerOf(d, dir));

        // Before any peer decides: a datagram that may not be forwarded must not open a mapping either (traceroute).
        if (frame[d.NetworkOffset + Ipv4Header.TtlOffset] <= 1)
            return Verdict.Drop(DropReason.TtlExceeded, LabelOf(d), PeerOf(d, dir));
        if (!d.IsFragment)
            return Before(frame, d, dir, reassembled: false, out request);

        uint peer = PeerOf(d, dir);
        _reassembler.Expire(now);
        var added = _reassembler.Add(frame, d.NetworkOffset, now);
        switch (added.Status)
        {
            case ReassemblyStatus.Held:
                return Verdict.Hold(LabelOf(d), peer);
            case ReassemblyStatus.Invalid:
                return Verdict.Drop(added.Error == FragmentError.Malformed ? DropReason.Malformed : DropReason.FragmentInvalid, LabelOf(d), peer);
        }

        // The whole datagram is decided as one, then cut again to the outgoing MTU.
        var whole = added.Frame!;
        var wd = FrameDissector.Dissect(LinkType.Ethernet, whole);
        if (!wd.IsOk)
            return Verdict.Drop(DropReason.Malformed, LabelOf(wd), peer);
        if (ChecksumIntake.Check(whole.AsSpan(wd.NetworkOffset)) == IntakeResult.Corrupt)
            return Verdict.Drop(DropReason.BadChecksum, LabelOf(wd), peer);
        return Before(whole, wd, dir, reassembled: true, out request);
    }

    private Verdict? Before(byte[] frame, in Dissection d, Direction dir, bool reassembled, out PeerRequest request)
    {
        request = default;
        uint peerAddress = PeerOf(d, dir);
        if (_decision.Before(frame, d, dir, peerAddress) is { } early)
        {
            if (early.Action == VerdictAction.Forward)
                early = Route(frame, d, early);
            return reassembled ? Refragment(frame, d, early) : early;
        }
        request = new PeerRequest(frame, d, dir, peerAddress, reassembled);
        return null;
    }

    /// <summary>Everything after the peer's decision: the output chain, and re-fragmentation to the link MTU.</summary>
    public Verdict Complete(in PeerRequest request, Verdict peerVerdict)
    {
        var result = peerVerdict;
        if (result.Action == VerdictAction.Forward)
            result = _decision.After(request.Frame, request.Dissection, result);
        if (result.Action == VerdictAction.Forward)
            result = Route(request.Frame, request.Dissection, result);
        return request.Reassembled ? Refragment(request.Frame, request.Dissection, result) : result;
    }

    /// <summary>
    /// What a router does to every datagram it forwards (RFC 1812 §5.3.1): TTL down by one. <see cref="Prepare"/>
    /// has already refused a TTL that would reach 0, before any state changed. The copies an unknown SPI fans
    /// out to (§3.3) carry the same TTL.
    /// </summary>
    private static Verdict Route(byte[] frame, in Dissection d, Verdict verdict)
    {
        PacketRewriter.DecrementTtl(frame.AsSpan(d.NetworkOffset));
        foreach (var extra in verdict.Extra ?? [])
            PacketRewriter.DecrementTtl(extra.Frame.AsSpan(d.NetworkOffset));
        return verdict;
    }

    private Verdict Refragment(byte[] whole, in Dissection wd, Verdict verdict)
    {
        if (verdict.Action != VerdictAction.Forward)
            return verdict;
        var outputs = new List<OutputFrame>();
        if (verdict.SendInput)
        {
            foreach (var piece in Fragmenter.Fragment(whole, wd.NetworkOffset, Settings.Options.Limits.Mtu))
                outputs.Add(new OutputFrame(piece, verdict.Side));
        }

        if (verdict.Extra is { } extra)
            outputs.AddRange(extra);
        return verdict with { SendInput = false, Extra = outputs };
    }

    /// <summary>Expires entries everywhere and forgets peers that hold nothing; returns each peer's events.</summary>
    public IReadOnlyList<(uint Peer, PeerEvent Event)> Sweep(TimeSpan now)
    {
        var all = new List<(uint, PeerEvent)>();
        var events = new List<PeerEvent>();
        foreach (var (address, peer) in _peers.ToList())
        {
            events.Clear();
            peer.Sweep(now, events);
            all.AddRange(events.Select(e => (address, e)));
            if (peer.EntryCount == 0 && peer.Esp.Waiting.Count == 0)
                _peers.Remove(address);
        }

        _reassembler.Expire(now);
        return all;
    }

    /// <summary>The public address changed ("auto", DESIGN §3.7): every mapping bound to the old one closes at once.</summary>
    public IReadOnlyList<(uint Peer, PeerEvent Event)> ChangePublicAddress(uint address, TimeSpan now)
    {
        var all = new List<(uint, PeerEvent)>();
        if (address == Settings.PublicAddress)
            return all;
        Settings.PublicAddress = address;
        var events = new List<PeerEvent>();
        foreach (var (peerAddress, peer) in _peers)
        {
            events.Clear();
            peer.CloseAll(now, RemovalCause.AddressChanged, events);
            all.AddRange(events.Select(e => (peerAddress, e)));
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
        peer = new PeerState(address, Settings);
        _peers[address] = peer;
        return peer;
    }

    /// <summary>
    /// The remote peer a frame belongs to: the destination going out, the source coming in — except an
    /// inbound ICMP error, which belongs to the peer the quoted datagram was sent to (a router on the path may report it).
    /// </summary>
    public static uint PeerOf(in Dissection d, Direction direction)
    {
        if (direction == Direction.Outbound)
            return d.Destination;
        return d.Kind == FrameKind.Icmp && IcmpTypes.IsError(d.IcmpType) ? QuotedDestination(d) : d.Source;
    }

    private static uint QuotedDestination(in Dissection d) => d.QuotedDestination != 0 ? d.QuotedDestination : d.Source;

    public static ProtocolLabel LabelOf(in Dissection d) => d.Protocol switch
    {
        IpProtocol.Esp => ProtocolLabel.Esp,
        IpProtocol.Ah => ProtocolLabel.Ah,
        IpProtocol.Gre => ProtocolLabel.Gre,
        IpProtocol.Icmp => ProtocolLabel.Icmp,
        IpProtocol.Tcp when d.SourcePort == 1723 || d.DestinationPort == 1723 => ProtocolLabel.Pptp,
        IpProtocol.Tcp => ProtocolLabel.Tcp,
        IpProtocol.Udp when d.Kind is FrameKind.NatTEsp => ProtocolLabel.Esp,
        IpProtocol.Udp when d.SourcePort is 500 or 4500 || d.DestinationPort is 500 or 4500 => ProtocolLabel.Isakmp,
        IpProtocol.Udp => ProtocolLabel.Udp,
        _ => ProtocolLabel.Other,
    };
}
