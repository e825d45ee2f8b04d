using System.Runtime.CompilerServices;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Masquerade.Firewall;
using VpnMasq.Protocols.Masquerade.Fragments;

namespace VpnMasq.Protocols.Masquerade.Front;

/// <summary>
/// The node's front (DESIGN §1), everything around a peer's decision: intake checks, fragment reassembly, the
/// firewall chains, what a router does (TTL, DF beyond the link MTU, its ICMP answers) and re-fragmenting to the
/// outgoing link. Which peer decides, and where, is the caller's business. Capture threads call it concurrently:
/// the settings are an immutable snapshot, the counters are atomic, and the reassembler is the caller's to lock.
/// </summary>
public sealed class GatewayFront
{
    private readonly FragmentReassembler _reassembler;
    private readonly FrameDecision _decision;
    private readonly IcmpRateLimiter _replyLimit = new();
    private long _fragmentsTimedOut;
    private long _fragmentsEvicted;

    public GatewayFront(MasqueradeOptions options)
        : this(new LiveSettings(options))
    {
    }

    public GatewayFront(LiveSettings settings)
    {
        var options = settings.Current.Options;
        Live = settings;
        Firewall = options.Rules.Count == 0
            ? FirewallRules.MasqueradeEverything
            : FirewallRules.Parse(options.Rules, options.InsideInterface);
        _reassembler = new FragmentReassembler(options.Limits);
        _decision = new FrameDecision(Firewall);
    }

    /// <summary>The node's settings, shared with its peer owners; changed only by swapping a new value in.</summary>
    public LiveSettings Live { get; }

    public MasqueradeSettings Settings => Live.Current;
    public FirewallRules Firewall { get; }

    /// <summary>Frames whose IPv4 source is in an Inside network are outbound (DESIGN §5.2).</summary>
    public Direction DirectionOf(in Dissection d) => Settings.Options.IsInside(d.Source) ? Direction.Outbound : Direction.Inbound;

    /// <summary>
    /// Everything before the peer's decision: dissection checks, fragment reassembly, the firewall chains
    /// before masquerade, what a router refuses (TTL, DF beyond the link MTU). Returns the verdict when one is
    /// reached without the peer; otherwise null, and <paramref name="request"/> says what the peer must decide.
    /// The caller asks the peer's owner in between, then hands its verdict to <see cref="Complete"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // see FlowIndex.TryTranslate: each entry point keeps its own inlining budget
    public Verdict? Prepare(byte[] frame, in Dissection d, Direction? direction, TimeSpan now, out PeerRequest request)
    {
        request = default;
        if (d.Kind == FrameKind.NotIpv4 && d.IsOk)
            return Verdict.Drop(DropReason.NotIpv4, ProtocolLabel.Other, 0);

        // Without a whole IPv4 header there is nothing the rules could match on.
        if (!d.IsOk && d.FailedLayer <= FrameLayer.Network)
            return Verdict.Drop(DropReason.Malformed, ProtocolLabels.Of(d), PeerOf(d, direction ?? DirectionOf(d)));
        var dir = direction ?? DirectionOf(d);
        if (!d.IsFragment)
            return Before(frame, d, dir, reassembled: false, now, out request);

        // A first fragment too short for its own transport header hides it from the rules (RFC 1858): refused outright.
        if (!d.IsOk)
            return Verdict.Drop(DropReason.Malformed, ProtocolLabels.Of(d), PeerOf(d, dir));

        uint peer = PeerOf(d, dir);
        if (ChecksumIntake.Check(frame.AsSpan(d.NetworkOffset)) == IntakeResult.Corrupt)
            return Verdict.Drop(DropReason.BadChecksum, ProtocolLabels.Of(d), peer);
        ExpireFragments(now);
        var added = _reassembler.Add(frame, d.NetworkOffset, now);
        CountLost(added.Evicted, ref _fragmentsEvicted);
        switch (added.Status)
        {
            case ReassemblyStatus.Held:
                return Verdict.Hold(ProtocolLabels.Of(d), peer);
            case ReassemblyStatus.Invalid:
                return Verdict.Drop(added.Error == FragmentError.Malformed ? DropReason.Malformed : DropReason.FragmentInvalid, ProtocolLabels.Of(d), peer);
        }

        // The whole datagram is decided as one, then cut again to the outgoing MTU.
        var whole = added.Frame!;
        var wd = FrameDissector.Dissect(LinkType.Ethernet, whole);
        if (!wd.IsOk && wd.FailedLayer <= FrameLayer.Network)
            return Verdict.Drop(DropReason.Malformed, ProtocolLabels.Of(wd), peer);
        return Before(whole, wd, dir, reassembled: true, now, out request);
    }

    private Verdict? Before(byte[] frame, in Dissection d, Direction dir, bool reassembled, TimeSpan now, out PeerRequest request)
    {
        request = default;
        uint peerAddress = PeerOf(d, dir);
        var label = ProtocolLabels.Of(d);

        // The rules first (DESIGN §3.6): what they deny is rule-deny, whatever a parse or a checksum would say.
        var settings = Settings;
        var early = _decision.Before(frame, d, dir, peerAddress, settings, out bool route);
        if (early is { Action: VerdictAction.Drop } refused)
            return refused.Reason == DropReason.RuleReject ? Answer(refused, frame, d, dir, RejectReply(d), now, settings) : refused;
        if (ChecksumIntake.Check(frame.AsSpan(d.NetworkOffset)) == IntakeResult.Corrupt)
            return Verdict.Drop(DropReason.BadChecksum, label, peerAddress);

        // A router's refusals come before any peer decides, so a datagram that cannot go opens no mapping (traceroute).
        var datagram = frame.AsSpan(d.NetworkOffset);
        if (datagram[Ipv4Header.TtlOffset] <= 1)
            return Answer(Verdict.Drop(DropReason.TtlExceeded, label, peerAddress), frame, d, dir, RouterReply.TimeExceeded, now, settings);
        if (d.DontFragment && d.IpTotalLength > settings.LinkMtu(OutgoingSide(dir)))
            return Answer(Verdict.Drop(DropReason.FragmentationNeeded, label, peerAddress), frame, d, dir, RouterReply.FragmentationNeeded, now, settings);

        if (route && early is { } routed)
            return Refragment(frame, d, Route(frame, d, routed), reassembled, settings);
        request = new PeerRequest(frame, d, dir, peerAddress, reassembled);
        return null;
    }

    /// <summary>Everything after the peer's decision: the output chain, and fragmentation to the outgoing link's MTU.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public Verdict Complete(in PeerRequest request, Verdict peerVerdict)
    {
        var result = peerVerdict;
        if (result.Action == VerdictAction.Forward)
            result = _decision.After(request.Frame, request.Dissection, result);
        if (result.Action == VerdictAction.Forward)
            result = Route(request.Frame, request.Dissection, result);
        return Refragment(request.Frame, request.Dissection, result, request.Reassembled, Settings);
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
    private static Verdict Refragment(byte[] whole, in Dissection wd, Verdict verdict, bool reassembled, MasqueradeSettings settings)
    {
        if (verdict.Action != VerdictAction.Forward)
            return verdict;
        int mtu = settings.LinkMtu(verdict.Side);
        bool inputFits = !verdict.SendInput || wd.IpTotalLength <= mtu;
        bool extrasFit = verdict.Extra is null || AllFit(verdict.Extra, wd.NetworkOffset, settings);
        if (inputFits && extrasFit && !reassembled)
            return verdict;
        var outputs = new List<OutputFrame>();
        if (verdict.SendInput)
            AddFitting(outputs, whole, wd.NetworkOffset, settings.LinkMtu(verdict.Side), verdict.Side);
        foreach (var extra in verdict.Extra ?? [])
            AddFitting(outputs, extra.Frame, wd.NetworkOffset, settings.LinkMtu(extra.Side), extra.Side);
        return verdict with { SendInput = false, Extra = outputs };
    }

    // A loop, not LINQ: a lambda capturing the offset would allocate its closure on every forwarded frame (measured, 32 B).
    private static bool AllFit(IReadOnlyList<OutputFrame> frames, int networkOffset, MasqueradeSettings settings)
    {
        foreach (var frame in frames)
        {
            if (frame.Frame.Length - networkOffset > settings.LinkMtu(frame.Side))
                return false;
        }

        return true;
    }

    private static void AddFitting(List<OutputFrame> outputs, byte[] frame, int networkOffset, int mtu, Side side)
    {
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
    private Verdict Answer(Verdict drop, byte[] frame, in Dissection d, Direction dir, RouterReply reply, TimeSpan now, MasqueradeSettings settings)
    {
        var outgoing = OutgoingSide(dir);
        var back = outgoing == Side.Outside ? Side.Inside : Side.Outside;
        var datagram = frame.AsSpan(d.NetworkOffset, Math.Min(d.IpTotalLength, frame.Length - d.NetworkOffset));
        if (!RouterReplies.MayAnswer(datagram) || !_replyLimit.Allow(d.Source, now))
            return drop;
        var answer = RouterReplies.BuildAnswerable(reply, datagram, settings.AddressOn(back), settings.LinkMtu(outgoing));
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

    /// <summary>Fragments held past the reassembly timeout are dropped and counted (fragment-timeout).</summary>
    public void ExpireFragments(TimeSpan now) => CountLost(_reassembler.Expire(now), ref _fragmentsTimedOut);

    /// <summary>The public address changed ("auto", DESIGN §3.7): frames to the old one are dropped address-changed from now on.</summary>
    public MasqueradeSettings ChangePublicAddress(uint address) => Live.Update(s => s.WithPublicAddress(address));

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

}
