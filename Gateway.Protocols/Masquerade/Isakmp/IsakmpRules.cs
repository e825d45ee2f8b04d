using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Peers;

namespace VpnMasq.Protocols.Masquerade.Isakmp;

/// <summary>ISAKMP/IKE on UDP 500 -> 500: source port 500 kept, inbound routed by cookies (DESIGN §3.2, HOWTO §6.1).</summary>
internal static class IsakmpRules
{
    public static Verdict Outbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        uint inside = d.Source;
        var table = b.Peer.Isakmp;
        if (d.InitiatorCookie == 0)
            return b.Drop(DropReason.IsakmpZeroCookie, ProtocolLabel.Isakmp, inside);
        var exchange = table.Find(inside, d.InitiatorCookie);
        if (exchange is not null && b.Now - exchange.LastSeen > b.Options.Isakmp.Lifetime)
        {
            // Only this host's exchange: another host may share the initiator cookie under its own responder cookie.
            b.Emit(new IsakmpExchangeRemoved(b.Now, d.InitiatorCookie, RemovalCause.Expired, inside));
            exchange = null;
        }

        if (exchange is null)
        {
            // Cookie collision window: another host's identical initiator cookie still awaits its first reply.
            foreach (var other in table.WithInitiatorCookie(d.InitiatorCookie))
            {
                if (other.Inside != inside && other.AwaitingReply && b.Now - other.LastSeen <= b.Options.Isakmp.Lifetime)
                    return b.Drop(DropReason.IsakmpCookieCollision, ProtocolLabel.Isakmp, inside);
            }

            if (!Eviction.MakeRoom(b))
                return b.Drop(DropReason.TableFull, ProtocolLabel.Isakmp, inside);
            b.Emit(new IsakmpExchangeStarted(b.Now, inside, d.InitiatorCookie));
        }
        else
        {
            b.Saw(IsakmpFlows.Of(exchange, table.LatestSpeaker));
        }

        if (table.LatestSpeaker != inside)
            b.Emit(new IsakmpSpeakerChanged(b.Now, inside));
        return IsakmpFlows.Translate(frame, d, Direction.Outbound, b.Remote, IsakmpFlows.Outgoing(inside, d.InitiatorCookie), b.PublicAddress);
    }

    public static Verdict Inbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        var table = b.Peer.Isakmp;
        if (d.InitiatorCookie == 0)
            return b.Drop(DropReason.IsakmpZeroCookie, ProtocolLabel.Isakmp);
        var candidates = table.WithInitiatorCookie(d.InitiatorCookie);
        uint inside;
        if (candidates.Count > 0)
        {
            if (Route(candidates, d.ResponderCookie) is not { } target)
                return b.Drop(DropReason.NoMapping, ProtocolLabel.Isakmp);
            if (target.AwaitingReply && d.ResponderCookie != 0)
                b.Emit(new IsakmpResponderLearned(b.Now, d.InitiatorCookie, d.ResponderCookie));
            b.Saw(IsakmpFlows.Of(target, table.LatestSpeaker));
            inside = target.Inside;
        }
        else
        {
            // A new exchange the remote starts (a rekey, HOWTO §5.7) goes to the host that spoke ISAKMP with it last,
            // or to the UDP 500 forward when a VPN server sits behind the gateway. The speaker counts only while one
            // of its exchanges lives (DESIGN §3.1, "clients talking to it"); otherwise the answer would depend on
            // whether unrelated state, such as a TCP mapping, kept this peer from being forgotten by the sweep.
            inside = table.LatestSpeaker;
            if (inside != 0 && !SpeakerStillTalks(b, table, inside))
                inside = 0;
            if (inside == 0 && b.Settings.FindPortForward(IpProtocol.Udp, FrameDissector.IsakmpPort) is { } forward)
                inside = forward.TargetAddress;
            if (inside == 0)
                return b.Drop(DropReason.NoMapping, ProtocolLabel.Isakmp);

            // Cookies the remote makes up cost an entry each: a flood of them is held to the peer's entry limit.
            if (!Eviction.MakeRoom(b))
                return b.Drop(DropReason.TableFull, ProtocolLabel.Isakmp, inside);
            b.Emit(new IsakmpExchangeStarted(b.Now, inside, d.InitiatorCookie));
            if (d.ResponderCookie != 0)
                b.Emit(new IsakmpResponderLearned(b.Now, d.InitiatorCookie, d.ResponderCookie));
        }

        return IsakmpFlows.Translate(frame, d, Direction.Inbound, b.Remote, IsakmpFlows.Outgoing(inside, d.InitiatorCookie), b.PublicAddress);
    }

    private static bool SpeakerStillTalks(PeerDecisionBuilder b, IsakmpTable table, uint inside)
    {
        foreach (var x in table.Exchanges)
        {
            if (x.Inside == inside && b.Now - x.LastSeen <= b.Options.Isakmp.Lifetime)
                return true;
        }

        return false;
    }

    /// <summary>
    /// Both cookies must match once the responder cookie is known; a reply still naming no responder
    /// cookie (IKEv2 COOKIE/INVALID_KE) goes to the exchange that awaits one.
    /// </summary>
    private static IsakmpExchange? Route(IReadOnlyList<IsakmpExchange> candidates, ulong responderCookie)
    {
        IsakmpExchange? awaiting = null;
        foreach (var exchange in candidates)
        {
            if (responderCookie != 0 && exchange.ResponderCookie == responderCookie)
                return exchange;
            if (exchange.AwaitingReply)
                awaiting = exchange;
        }

        if (awaiting is not null)
            return awaiting;
        return responderCookie == 0 && candidates.Count == 1 ? candidates[0] : null;
    }

    /// <summary>An exchange whose every host has been quiet past the ISAKMP lifetime leaves the table.</summary>
    public static void Sweep(PeerDecisionBuilder b)
    {
        foreach (var cookie in b.Peer.Isakmp.Exchanges.GroupBy(x => x.InitiatorCookie)
                     .Where(g => g.All(x => b.Now - x.LastSeen > b.Options.Isakmp.Lifetime)).Select(g => g.Key))
            b.Emit(new IsakmpExchangeRemoved(b.Now, cookie, RemovalCause.Expired));
    }

    public static void CloseAll(PeerDecisionBuilder b, RemovalCause cause)
    {
        foreach (var cookie in b.Peer.Isakmp.Exchanges.Select(x => x.InitiatorCookie).Distinct())
            b.Emit(new IsakmpExchangeRemoved(b.Now, cookie, cause));
    }
}
