using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Peers;

namespace VpnMasq.Protocols.Masquerade.Pptp;

/// <summary>PPTP's GRE (DESIGN §3.4): inbound, the masqueraded Call ID in the key goes back to the inside party's.</summary>
internal static class GreRules
{
    public static Verdict Outbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        // Outbound GRE carries the peer's Call ID in its key: nothing to translate but the address.
        if (d.GreVersion == 1)
        {
            foreach (var call in b.Peer.Calls.Calls)
            {
                if (call.Inside == d.Source && call.PeerCallIdKnown && call.PeerCallId == d.GreCallId)
                    b.Saw(GreFlows.Of(call));
            }
        }

        return GreFlows.Translate(frame, d, Direction.Outbound, b.Remote, GreFlows.Unmapped(d.Source, d.GreCallId), b.PublicAddress);
    }

    public static Verdict Inbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        if (d.GreVersion == 1 && b.Peer.Calls.FindMasqueraded(d.GreCallId) is { } call)
        {
            var flow = GreFlows.Of(call);
            b.Saw(flow);
            return GreFlows.Translate(frame, d, Direction.Inbound, b.Remote, flow, b.PublicAddress);
        }

        if (b.Settings.FindProtocolForward(IpProtocol.Gre) is { } forward)
            return GreFlows.Translate(frame, d, Direction.Inbound, b.Remote, GreFlows.Unmapped(forward.TargetAddress, d.GreCallId), b.PublicAddress);
        return b.Drop(DropReason.NoMapping, ProtocolLabel.Gre);
    }

    /// <summary>
    /// A call outlives its control connection only by mistake; one whose connection is gone (or goes in this sweep) is
    /// dropped. Calls of connections this sweep removed were already ended with them.
    /// </summary>
    public static void Sweep(PeerDecisionBuilder b)
    {
        foreach (var call in b.Calls.Calls.ToList())
        {
            if (!b.Peer.Ports.Mappings.Any(m => m.Inside == call.Inside && m.InsidePort == call.InsidePort && !b.Removed(m)))
                b.Emit(new PptpCallUnmapped(b.Now, call.MasqueradedCallId, RemovalCause.Expired));
        }
    }

    public static void CloseAll(PeerDecisionBuilder b, RemovalCause cause)
    {
        foreach (var call in b.Peer.Calls.Calls)
            b.Emit(new PptpCallUnmapped(b.Now, call.MasqueradedCallId, cause));
    }
}
