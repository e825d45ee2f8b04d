using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Isakmp;
using VpnMasq.Protocols.Rewriting;

namespace VpnMasq.Protocols.Masquerade;

// ISAKMP/IKE on UDP 500 -> 500: source port 500 kept, inbound routed by cookies (DESIGN §3.2, HOWTO §6.1).
public sealed partial class PeerState
{
    private Verdict OutboundIsakmp(byte[] frame, in Dissection d, TimeSpan now)
    {
        uint inside = d.Source;
        if (d.InitiatorCookie == 0)
            return Verdict.Drop(DropReason.IsakmpZeroCookie, ProtocolLabel.Isakmp, Remote, inside);
        var exchange = Isakmp.Find(inside, d.InitiatorCookie);
        if (exchange is not null && now - exchange.LastSeen > Options.Isakmp.Lifetime)
        {
            // Only this host's exchange: another host may share the initiator cookie under its own responder cookie.
            Emit(new IsakmpExchangeRemoved(now, d.InitiatorCookie, RemovalCause.Expired, inside));
            exchange = null;
        }

        if (exchange is null)
        {
            // Cookie collision window: another host's identical initiator cookie still awaits its first reply.
            foreach (var other in Isakmp.WithInitiatorCookie(d.InitiatorCookie))
            {
                if (other.Inside != inside && other.AwaitingReply && now - other.LastSeen <= Options.Isakmp.Lifetime)
                    return Verdict.Drop(DropReason.IsakmpCookieCollision, ProtocolLabel.Isakmp, Remote, inside);
            }

            if (!MakeRoom(now))
                return Verdict.Drop(DropReason.TableFull, ProtocolLabel.Isakmp, Remote, inside);
            Emit(new IsakmpExchangeStarted(now, inside, d.InitiatorCookie));
            exchange = Isakmp.Find(inside, d.InitiatorCookie)!;
        }

        exchange.LastSeen = now;
        if (Isakmp.LatestSpeaker != inside)
            Emit(new IsakmpSpeakerChanged(now, inside));
        PacketRewriter.SetSourceAddress(Datagram(frame, d), PublicAddress);
        return Verdict.Send(ProtocolLabel.Isakmp, Remote, inside, Side.Outside);
    }

    private Verdict InboundIsakmp(byte[] frame, in Dissection d, TimeSpan now)
    {
        if (d.InitiatorCookie == 0)
            return Verdict.Drop(DropReason.IsakmpZeroCookie, ProtocolLabel.Isakmp, Remote);
        var candidates = Isakmp.WithInitiatorCookie(d.InitiatorCookie);
        IsakmpExchange? target = null;
        if (candidates.Count > 0)
        {
            target = Route(candidates, d.ResponderCookie);
            if (target is null)
                return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Isakmp, Remote);
            if (target.AwaitingReply && d.ResponderCookie != 0)
                Emit(new IsakmpResponderLearned(now, d.InitiatorCookie, d.ResponderCookie));
        }
        else
        {
            // A new exchange the remote starts (a rekey, HOWTO §5.7) goes to the host that spoke ISAKMP with it last,
            // or to the UDP 500 forward when a VPN server sits behind the gateway. The speaker counts only while one
            // of its exchanges lives (DESIGN §3.1, "clients talking to it"); otherwise the answer would depend on
            // whether unrelated state, such as a TCP mapping, kept this peer from being forgotten by the sweep.
            uint inside = Isakmp.LatestSpeaker;
            if (inside != 0 && !Isakmp.Exchanges.Any(x => x.Inside == inside && now - x.LastSeen <= Options.Isakmp.Lifetime))
                inside = 0;
            if (inside == 0 && _settings.FindPortForward(IpProtocol.Udp, FrameDissector.IsakmpPort) is { } forward)
                inside = forward.TargetAddress;
            if (inside == 0)
                return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Isakmp, Remote);

            // Cookies the remote makes up cost an entry each: a flood of them is held to the peer's entry limit.
            if (!MakeRoom(now))
                return Verdict.Drop(DropReason.TableFull, ProtocolLabel.Isakmp, Remote, inside);
            Emit(new IsakmpExchangeStarted(now, inside, d.InitiatorCookie));
            if (d.ResponderCookie != 0)
                Emit(new IsakmpResponderLearned(now, d.InitiatorCookie, d.ResponderCookie));
            target = Isakmp.Find(inside, d.InitiatorCookie)!;
        }

        target.LastSeen = now;
        PacketRewriter.SetDestinationAddress(Datagram(frame, d), target.Inside);
        return Verdict.Send(ProtocolLabel.Isakmp, Remote, target.Inside, Side.Inside);
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
}
