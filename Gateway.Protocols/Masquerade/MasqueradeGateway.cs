using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Firewall;
using VpnMasq.Protocols.Masquerade.Fragments;
using VpnMasq.Protocols.Masquerade.Front;

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
    private readonly IcmpRateLimiter _replyLimit = new();
    private long _fragmentsTimedOut;
    private long _fragmentsEvicted;

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
        bool known = _peers.ContainsKey(request.Peer);
        var peer = FindOrCreatePeer(request.Peer);
        if (peer is null)
            return Verdict.Drop(DropReason.PeerLimit, LabelOf(request.Dissection), request.Peer);
        var verdict = peer.Handle(request.Frame, request.Dissection, request.Direction, now, events);

        // A frame that left nothing behind (spoofed sources, each dropped no-mapping) must not hold a place under the peer limit.
        if (!known && peer.IsEmpty)
            _peers.Remove(request.Peer);
        return Complete(request, verdict);
    }

    /// <summary>
    /// Everything before the peer's decision: dissection checks, fragment reassembly, the firewall chains
    /// before masquerade, what a router refuses (TTL, DF beyond the link MTU). Returns the verdict when one is
    /// reached without the peer; otherwise null, and <paramref name="request"/> says what the peer must decide.
    /// The actor pipeline asks the peer's owner in between; <see cref="Process(byte[], in Dissection, Direction?, TimeSpan, List{PeerEvent})"/> asks the local peer.
    /// </summary>
    public Verdict? Prepare(byte[] frame, in Dissection d, Direction? direction, TimeSpan now, out PeerRequest request)
    {
        request = default;
        if (d.Kind == FrameKind.NotIpv4 && d.IsOk)
            return Verdict.Drop(DropReason.NotIpv4, ProtocolLabel.Other, 0);

        // Without a whole IPv4 header there is nothing the rules could match on.
        if (!d.IsOk && d.FailedLayer <= FrameLayer.Network)
            return Verdict.Drop(DropReason.Malformed, LabelOf(d), PeerOf(d, direction ?? DirectionOf(d)));
        var dir = direction ?? DirectionOf(d);
        if (!d.IsFragment)
            return Before(frame, d, dir, reassembled: false, now, out request);

        // A first fragment too short for its own transport header hides it from the rules (RFC 1858): refused outright.
        if (!d.IsOk)
            return Verdict.Drop(DropReason.Malformed, LabelOf(d), PeerOf(d, dir));

        uint peer = PeerOf(d, dir);
        if (ChecksumIntake.Check(frame.AsSpan(d.NetworkOffset)) == IntakeResult.Corrupt)
            return Verdict.Drop(DropReason.BadChecksum, LabelOf(d), peer);
        ExpireFragments(now);
        var added = _reassembler.Add(frame, d.NetworkOffset, now);
        CountLost(added.Evicted, ref _fragmentsEvicted);
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
        if (!wd.IsOk && wd.FailedLayer <= FrameLayer.Network)
            return Verdict.Drop(DropReason.Malformed, LabelOf(wd), peer);
        return Before(whole, wd, dir, reassembled: true, now, out request);
    }

    private Verdict? Before(byte[] frame, in Dissection d, Direction dir, bool reassembled, TimeSpan now, out PeerRequest request)
    {
        request = default;
        uint peerAddress = PeerOf(d, dir);
        var label = LabelOf(d);

        // The rules first (DESIGN §3.6): what they deny is rule-deny, whatever a parse or a checksum would say.
        var early = _decision.Before(frame, d, dir, peerAddress, out bool route);
        if (early is { Action: VerdictAction.Drop } refused)
            return refused.Reason == DropReason.RuleReject ? Answer(refused, frame, d, dir, RejectReply(d), now) : refused;
        if (ChecksumIntake.Check(frame.AsSpan(d.NetworkOffset)) == IntakeResult.Corrupt)
            return Verdict.Drop(DropReason.BadChecksum, label, peerAddress);

        // A router's refusals come before any peer decides, so a datagram that cannot go opens no mapping (traceroute).
        var datagram = frame.AsSpan(d.NetworkOffset);
        if (datagram[Ipv4Header.TtlOffset] <= 1)
            return Answer(Verdict.Drop(DropReason.TtlExceeded, label, peerAddress), frame, d, dir, RouterReply.TimeExceeded, now);
        if (d.DontFragment && d.IpTotalLength > Settings.LinkMtu(OutgoingSide(dir)))
            return Answer(Verdict.Drop(DropReason.FragmentationNeeded, label, peerAddress), frame, d, dir, RouterReply.FragmentationNeeded, now);

        if (route && early is { } routed)
            return Refragment(frame, d, Route(frame, d, routed), reassembled);
        request = new PeerRequest(frame, d, dir, peerAddress, reassembled);
        return null;
    }

    /// <summary>Everything after the peer's decision: the output chain, and fragmentation to the outgoing link's MTU.</summary>
    public Verdict Complete(in PeerRequest request, Verdict peerVerdict)
    {
        var result = peerVerdict;
        if (result.Action == VerdictAction.Forward)
            result = _decision.After(request.Frame, request.Dissection, result);
        if (result.Action == VerdictAction.Forward)
            result = Route(request.Frame, request.Dissection, result);
        return Refragment(request.Frame, request.Dissection, result, request.Reassembled);
    }

    /// <summary>
    /// What a router does to every datagram it forwards (RFC 1812 §5.3.1): TTL down by one. The front has already
    /// refused a TTL that would reach 0, before any state changed. The copies an unknown SPI fans out to (§3.3)
    /// carry the same TTL.
    /// </summary>
    private static Verdict Route(byte[] frame, in Dissection d, Verdict verdict)
    {
        PacketRewriter.DecrementTtl(frame.AsSpan(d.NetworkOffset));
        foreach (var extra in verdict.Extra ?? [])
            PacketRewriter.DecrementTtl(extra.Frame.AsSpan(d.NetworkOffset));
        return verdict;
    }

    /// <summary>
    /// Nothing larger than the outgoing link's MTU is sent: a reassembled datagram, or one that came in on a link with
    /// a larger MTU, is cut to fit (a DF one never gets here). Frames that fit are left alone, allocating nothing.
    /// A reassembled datagram is never "the input frame" (that was its last fragment), so it always goes as outputs.
    /// </summary>
    private Verdict Refragment(byte[] whole, in Dissection wd, Verdict verdict, bool reassembled)
    {
        if (verdict.Action != VerdictAction.Forward)
            return verdict;
        int mtu = Settings.LinkMtu(verdict.Side);
        bool inputFits = !verdict.SendInput || wd.IpTotalLength <= mtu;
        bool extrasFit = verdict.Extra is null || AllFit(verdict.Extra, wd.NetworkOffset);
        if (inputFits && extrasFit && !reassembled)
            return verdict;
        var outputs = new List<OutputFrame>();
        if (verdict.SendInput)
            AddFitting(outputs, whole, wd.NetworkOffset, verdict.Side);
        foreach (var extra in verdict.Extra ?? [])
            AddFitting(outputs, extra.Frame, wd.NetworkOffset, extra.Side);
        return verdict with { SendInput = false, Extra = outputs };
    }

    // A loop, not LINQ: a lambda capturing the offset would allocate its closure on every forwarded frame (measured, 32 B).
    private bool AllFit(IReadOnlyList<OutputFrame> frames, int networkOffset)
    {
        foreach (var frame in frames)
        {
            if (frame.Frame.Length - networkOffset > Settings.LinkMtu(frame.Side))
                return false;
        }

        return true;
    }

    private void AddFitting(List<OutputFrame> outputs, byte[] frame, int networkOffset, Side side)
    {
        int mtu = Settings.LinkMtu(side);
        if (frame.Length - networkOffset <= mtu)
        {
            outputs.Add(new OutputFrame(frame, side));
            return;
        }

        foreach (var piece in Fragmenter.Fragment(frame, networkOffset, mtu))
            outputs.Add(new OutputFrame(piece, side));
    }

    /// <summary>
    /// A refusal the sender is told about (RFC 1812 §4.3.2): the reply goes back out the way the frame came in, from the
    /// gateway's address there, unless the datagram may not be answered or the rate limit holds it back.
    /// </summary>
    private Verdict Answer(Verdict drop, byte[] frame, in Dissection d, Direction dir, RouterReply reply, TimeSpan now)
    {
        var outgoing = OutgoingSide(dir);
        var back = outgoing == Side.Outside ? Side.Inside : Side.Outside;
        var datagram = frame.AsSpan(d.NetworkOffset, Math.Min(d.IpTotalLength, frame.Length - d.NetworkOffset));
        if (!RouterReplies.MayAnswer(datagram) || !_replyLimit.Allow(d.Source, now))
            return drop;
        var answer = RouterReplies.BuildAnswerable(reply, datagram, Settings.AddressOn(back), Settings.LinkMtu(outgoing));
        return answer is null ? drop : drop with { Extra = [new OutputFrame(answer, back)] };
    }

    /// <summary>The side a frame leaves by when it is forwarded: out for what came from inside, in for the rest.</summary>
    private static Side OutgoingSide(Direction direction) => direction == Direction.Outbound ? Side.Outside : Side.Inside;

    /// <summary>ipchains REJECT: TCP gets a reset, UDP port unreachable, anything else host unreachable.</summary>
    private static RouterReply RejectReply(in Dissection d) => d.Protocol switch
    {
        IpProtocol.Tcp => RouterReply.TcpReset,
        IpProtocol.Udp => RouterReply.PortUnreachable,
        _ => RouterReply.HostUnreachable,
    };

    private void ExpireFragments(TimeSpan now) => CountLost(_reassembler.Expire(now), ref _fragmentsTimedOut);

    private static void CountLost(IReadOnlyList<ExpiredTrain> trains, ref long counter)
    {
        foreach (var train in trains)
            Interlocked.Add(ref counter, train.FragmentCount);
    }

    /// <summary>
    /// Drops not tied to one frame's verdict, as "drop:REASON" counts: held fragments whose datagram never completed
    /// (fragment-timeout) or was pushed out for room (table-full). The ICMP the gateway originated, and what its rate
    /// limit held back, as "icmp:sent" and "icmp:rate-limited".
    /// </summary>
    public IEnumerable<KeyValuePair<string, long>> FrontCounters()
    {
        yield return new("drop:" + DropReason.FragmentTimeout.Code(), Interlocked.Read(ref _fragmentsTimedOut));
        yield return new("drop:" + DropReason.TableFull.Code(), Interlocked.Read(ref _fragmentsEvicted));
        yield return new("icmp:sent", _replyLimit.Sent);
        yield return new("icmp:rate-limited", _replyLimit.Suppressed);
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
            if (peer.IsEmpty)
                _peers.Remove(address);
        }

        ExpireFragments(now);
        return all;
    }

    /// <summary>The public address changed ("auto", DESIGN §3.7): every mapping bound to the old one closes at once.</summary>
    public IReadOnlyList<(uint Peer, PeerEvent Event)> ChangePublicAddress(uint address, TimeSpan now)
    {
        var all = new List<(uint, PeerEvent)>();
        if (address == Settings.PublicAddress)
            return all;
        Settings.PreviousPublicAddress = Settings.PublicAddress;
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
        IpProtocol.Udp when d.SourcePort is 4500 || d.DestinationPort is 4500 => ProtocolLabel.Isakmp,
        IpProtocol.Udp when d.SourcePort is 500 && d.DestinationPort is 500 => ProtocolLabel.Isakmp,
        IpProtocol.Udp => ProtocolLabel.Udp,
        _ => ProtocolLabel.Other,
    };
}
