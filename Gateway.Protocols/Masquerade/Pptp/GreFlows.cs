using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Rewriting;

namespace VpnMasq.Protocols.Masquerade.Pptp;

/// <summary>
/// PPTP's GRE as a flow cache sees it: every mapped call; outbound only once the peer's Call ID is known (it is the
/// outbound key). Out by (inside host, peer's Call ID), in by the masqueraded Call ID, which goes back to the client's.
/// </summary>
internal static class GreFlows
{
    public static EstablishedFlow Of(PptpCall c) =>
        new(FlowKind.Gre, c.Inside, InsideKey: c.CallId, RemoteKey: c.PeerCallId, PublicKey: c.MasqueradedCallId, OutboundCached: c.PeerCallIdKnown);

    /// <summary>GRE that no call translates (outbound, or to a protocol forward): only the address changes.</summary>
    public static EstablishedFlow Unmapped(uint inside, ushort callId) => new(FlowKind.Gre, inside, InsideKey: callId, PublicKey: callId);

    public static void Project(PptpCallTable table, List<EstablishedFlow> flows)
    {
        foreach (var c in table.Calls)
            flows.Add(Of(c));
    }

    public static bool TryKey(in Dissection d, Direction direction, uint remote, out FlowLookup key)
    {
        key = d.GreVersion != 1 ? default
            : new FlowLookup(FlowKind.Gre, direction, remote, direction == Direction.Outbound ? d.Source : 0, d.GreCallId, 0);
        return d.GreVersion == 1;
    }

    public static FlowLookup OutboundKey(uint remote, in EstablishedFlow f) => new(FlowKind.Gre, Direction.Outbound, remote, f.Inside, f.RemoteKey, 0);

    public static FlowLookup InboundKey(uint remote, in EstablishedFlow f) => new(FlowKind.Gre, Direction.Inbound, remote, 0, f.PublicKey, 0);

    public static Verdict Translate(byte[] frame, in Dissection d, Direction direction, uint remote, in EstablishedFlow flow, uint publicAddress)
    {
        var verdict = FlowTranslation.Addresses(frame, d, direction, remote, flow.Inside, publicAddress);
        if (direction == Direction.Inbound && flow.InsideKey != d.GreCallId)
            PacketRewriter.SetGreCallId(FlowTranslation.Datagram(frame, d), flow.InsideKey);
        return verdict;
    }

    public static bool Touch(PptpCallTable table, in EstablishedFlow flow, TimeSpan at) => FlowTranslation.Touch(table.FindMasqueraded(flow.PublicKey), at);
}
