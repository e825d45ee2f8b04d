using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Rewriting;

namespace VpnMasq.Protocols.Masquerade.Icmp;

/// <summary>
/// ICMP queries as a flow cache sees them: requests out by (inside host, identifier), replies in by the public
/// identifier; the address and the identifier change. Errors quote another datagram and stay with the owner.
/// </summary>
internal static class IcmpFlows
{
    public static EstablishedFlow Of(IcmpMapping m) => new(FlowKind.Icmp, m.Inside, InsideKey: m.InsideId, PublicKey: m.PublicId);

    public static void Project(IcmpTable table, List<EstablishedFlow> flows)
    {
        foreach (var m in table.Mappings)
            flows.Add(Of(m));
    }

    public static bool TryKey(in Dissection d, Direction direction, uint remote, out FlowLookup key)
    {
        bool outbound = direction == Direction.Outbound;
        key = default;
        if (IcmpTypes.IsError(d.IcmpType) || outbound != IcmpTypes.IsQueryRequest(d.IcmpType))
            return false;
        key = new FlowLookup(FlowKind.Icmp, direction, remote, outbound ? d.Source : 0, d.IcmpIdentifier, 0);
        return true;
    }

    public static FlowLookup OutboundKey(uint remote, in EstablishedFlow f) => new(FlowKind.Icmp, Direction.Outbound, remote, f.Inside, f.InsideKey, 0);

    public static FlowLookup InboundKey(uint remote, in EstablishedFlow f) => new(FlowKind.Icmp, Direction.Inbound, remote, 0, f.PublicKey, 0);

    public static Verdict Translate(byte[] frame, in Dissection d, Direction direction, uint remote, in EstablishedFlow flow, uint publicAddress)
    {
        var verdict = FlowTranslation.Addresses(frame, d, direction, remote, flow.Inside, publicAddress);
        ushort id = direction == Direction.Outbound ? flow.PublicKey : flow.InsideKey;
        if (id != d.IcmpIdentifier)
            PacketRewriter.SetIcmpIdentifier(FlowTranslation.Datagram(frame, d), id);
        return verdict;
    }

    public static bool Touch(IcmpTable table, in EstablishedFlow flow, TimeSpan at) => FlowTranslation.Touch(table.FindInbound(flow.PublicKey), at);
}
