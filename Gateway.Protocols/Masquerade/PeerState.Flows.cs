using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Ports;

namespace VpnMasq.Protocols.Masquerade;

// What other nodes may translate on their own, and the activity they report back.
public sealed partial class PeerState
{
    /// <summary>
    /// The flows whose next frames change nothing but last-seen, so a flow cache may translate them
    /// exactly as <see cref="Handle"/> would. Anything that could emit an event stays out: TCP that is
    /// not established, PPTP control connections, outstanding ESP, ISAKMP awaiting its first reply.
    /// </summary>
    public List<EstablishedFlow> EstablishedFlows()
    {
        var flows = new List<EstablishedFlow>();
        foreach (var e in Esp.Entries)
        {
            if (!e.IsOutstanding)
                flows.Add(new EstablishedFlow(FlowKind.Esp, e.Inside, OutboundKey: e.OutboundSpi, InboundKey: e.InboundSpi));
        }

        foreach (var x in Isakmp.Exchanges)
        {
            // Outbound from anyone but the latest speaker would change the speaker: the owner decides that.
            if (!x.AwaitingReply)
            {
                flows.Add(new EstablishedFlow(FlowKind.Isakmp, x.Inside, OutboundKey: x.InitiatorCookie, InboundKey: x.ResponderCookie,
                    OutboundCached: x.Inside == Isakmp.LatestSpeaker));
            }
        }

        foreach (var m in Ports.Mappings)
        {
            bool stable = m.Protocol == IpProtocol.Udp || (m.State == TcpMappingState.Established && !IsPptpControl(m));
            if (stable)
                flows.Add(new EstablishedFlow(FlowKind.Port, m.Inside, m.Protocol, m.InsidePort, m.RemotePort, m.PublicPort));
        }

        foreach (var m in Icmp.Mappings)
            flows.Add(new EstablishedFlow(FlowKind.Icmp, m.Inside, InsideKey: m.InsideId, PublicKey: m.PublicId));
        foreach (var c in Calls.Calls)
        {
            flows.Add(new EstablishedFlow(FlowKind.Gre, c.Inside, InsideKey: c.CallId, RemoteKey: c.PeerCallId, PublicKey: c.MasqueradedCallId,
                OutboundCached: c.PeerCallIdKnown));
        }

        flows.Sort(EstablishedFlowOrder.Instance);
        return flows;
    }

    /// <summary>
    /// A flow cache translated frames of <paramref name="flow"/> up to <paramref name="at"/>: keep the
    /// entry alive. Not an event — activity is persisted coarsely, with the next snapshot (DESIGN §1).
    /// </summary>
    public bool Touch(in EstablishedFlow flow, TimeSpan at)
    {
        switch (flow.Kind)
        {
            case FlowKind.Esp when Esp.FindOutbound(flow.Inside, (uint)flow.OutboundKey) is { } entry:
                entry.LastSeen = Later(entry.LastSeen, at);
                break;
            case FlowKind.Isakmp when Isakmp.Find(flow.Inside, flow.OutboundKey) is { } exchange:
                exchange.LastSeen = Later(exchange.LastSeen, at);
                break;
            case FlowKind.Port when Ports.FindInbound(flow.Protocol, flow.PublicKey, flow.RemoteKey) is { } mapping:
                mapping.LastSeen = Later(mapping.LastSeen, at);
                break;
            case FlowKind.Icmp when Icmp.FindInbound(flow.PublicKey) is { } icmp:
                icmp.LastSeen = Later(icmp.LastSeen, at);
                break;
            case FlowKind.Gre when Calls.FindMasqueraded(flow.PublicKey) is { } call:
                call.LastSeen = Later(call.LastSeen, at);
                break;
            default:
                return false;
        }

        LastActivity = Later(LastActivity, at);
        return true;
    }

    private static TimeSpan Later(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
