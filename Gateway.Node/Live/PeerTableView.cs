using VpnMasq.Actors.Peers;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Node.Live;

/// <summary>A peer's table as the management API shows it: addresses dotted, SPIs and cookies in hex.</summary>
internal static class PeerTableView
{
    public static object Of(PeerTable table)
    {
        var t = table.Table;
        return new
        {
            peer = Ipv4Address.Format(t.Remote),
            owner = table.Owner,
            ports = t.Ports.Select(p => new
            {
                protocol = p.Protocol == IpProtocol.Tcp ? "tcp" : "udp",
                inside = $"{Ipv4Address.Format(p.Inside)}:{p.InsidePort}",
                publicPort = p.PublicPort,
                remotePort = p.RemotePort,
                state = p.Protocol == IpProtocol.Tcp ? p.State.ToString().ToLowerInvariant() : null,
                viaForward = p.ViaForward,
            }),
            icmp = t.Icmp.Select(i => new { inside = Ipv4Address.Format(i.Inside), id = i.InsideId, publicId = i.PublicId }),
            isakmp = t.Isakmp.Select(x => new
            {
                inside = Ipv4Address.Format(x.Inside),
                // An ISAKMP exchange is UDP 500 -> 500 and keeps port 500 on the public side (DESIGN §3.2); routed by cookies.
                insidePort = 500,
                publicPort = 500,
                initiatorCookie = x.InitiatorCookie.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
                responderCookie = x.ResponderCookie.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            }),
            esp = t.Esp.Select(e => new
            {
                inside = Ipv4Address.Format(e.Inside),
                outboundSpi = e.OutboundSpi.ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
                inboundSpi = e.InboundSpi.ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
                outstanding = e.Outstanding,
            }),
            pptp = t.Calls.Select(c => new
            {
                inside = Ipv4Address.Format(c.Inside),
                callId = c.CallId,
                masqueradedCallId = c.MasqueradedCallId,
                peerCallId = c.PeerCallIdKnown ? c.PeerCallId : (int?)null, // 0 is a Call ID; null is "not known yet"
            }),
        };
    }
}
