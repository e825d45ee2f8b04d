using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Protocols.Masquerade.Isakmp;

/// <summary>
/// ISAKMP on 500 -> 500 as a flow cache sees it: an exchange is established once the peer's reply named its
/// responder cookie. Out by (inside host, initiator cookie), in by both cookies; only the address changes.
/// </summary>
internal static class IsakmpFlows
{
    /// <summary>
    /// Outbound from anyone but the latest speaker would change the speaker: only the speaker's exchanges are
    /// translated outbound by a cache; the owner decides the rest.
    /// </summary>
    public static EstablishedFlow Of(IsakmpExchange x, uint latestSpeaker) =>
        new(FlowKind.Isakmp, x.Inside, OutboundKey: x.InitiatorCookie, InboundKey: x.ResponderCookie, OutboundCached: x.Inside == latestSpeaker);

    public static EstablishedFlow Outgoing(uint inside, ulong initiatorCookie) => new(FlowKind.Isakmp, inside, OutboundKey: initiatorCookie);

    public static void Project(IsakmpTable table, List<EstablishedFlow> flows)
    {
        foreach (var x in table.Exchanges)
        {
            if (!x.AwaitingReply)
                flows.Add(Of(x, table.LatestSpeaker));
        }
    }

    /// <summary>A frame with no initiator cookie, or a reply naming no responder cookie, is the owner's to decide.</summary>
    public static bool TryKey(in Dissection d, Direction direction, uint remote, out FlowLookup key)
    {
        bool outbound = direction == Direction.Outbound;
        key = default;
        if (d.InitiatorCookie == 0 || (!outbound && d.ResponderCookie == 0))
            return false;
        key = outbound
            ? new FlowLookup(FlowKind.Isakmp, direction, remote, d.Source, d.InitiatorCookie, 0)
            : new FlowLookup(FlowKind.Isakmp, direction, remote, 0, d.InitiatorCookie, d.ResponderCookie);
        return true;
    }

    public static FlowLookup OutboundKey(uint remote, in EstablishedFlow f) => new(FlowKind.Isakmp, Direction.Outbound, remote, f.Inside, f.OutboundKey, 0);

    public static FlowLookup InboundKey(uint remote, in EstablishedFlow f) => new(FlowKind.Isakmp, Direction.Inbound, remote, 0, f.OutboundKey, f.InboundKey);

    public static Verdict Translate(byte[] frame, in Dissection d, Direction direction, uint remote, in EstablishedFlow flow, uint publicAddress) =>
        FlowTranslation.Addresses(frame, d, direction, remote, flow.Inside, publicAddress);

    public static bool Touch(IsakmpTable table, in EstablishedFlow flow, TimeSpan at) => FlowTranslation.Touch(table.Find(flow.Inside, flow.OutboundKey), at);
}
