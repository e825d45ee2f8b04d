using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Isakmp;
using VpnMasq.Protocols.Masquerade.Ports;

namespace VpnMasq.Protocols.Masquerade;

// Masquerade:Limits:EntriesPerPeer: what a flood of new flows may push out of a full table, and what it may not.
public sealed partial class PeerState
{
    /// <summary>
    /// Keeps the peer within its entry limit by evicting the least recently used entry that carries no established
    /// VPN session: a plain TCP/UDP mapping, an ICMP mapping, or an ISAKMP exchange still awaiting its first reply.
    /// ESP associations, answered ISAKMP exchanges, PPTP calls, and the control connections and IKE/NAT-T mappings
    /// that carry them leave only by closing or idling past their lifetime: evicting by last use alone let a port
    /// sweep end a PPTP call whose control connection had been quiet longer than the sweep's oldest mapping.
    /// False when nothing may be evicted (the table is full of VPN sessions): the new entry is refused.
    /// </summary>
    private bool MakeRoom(TimeSpan now)
    {
        if (EntryCount < Options.Limits.EntriesPerPeer)
            return true;
        PortMapping? port = null;
        foreach (var mapping in Ports.Mappings)
        {
            if (!CarriesVpnSession(mapping) && (port is null || mapping.LastSeen < port.LastSeen))
                port = mapping;
        }

        IcmpMapping? icmp = null;
        foreach (var mapping in Icmp.Mappings)
        {
            if (icmp is null || mapping.LastSeen < icmp.LastSeen)
                icmp = mapping;
        }

        IsakmpExchange? exchange = null;
        foreach (var candidate in Isakmp.Exchanges)
        {
            if (candidate.AwaitingReply && (exchange is null || candidate.LastSeen < exchange.LastSeen))
                exchange = candidate;
        }

        var oldest = Min(Min(port?.LastSeen, icmp?.LastSeen), exchange?.LastSeen);
        if (oldest is null)
            return false;
        if (port is not null && port.LastSeen == oldest)
            Unmap(port, RemovalCause.Evicted, now);
        else if (icmp is not null && icmp.LastSeen == oldest)
            Emit(new IcmpUnmapped(now, icmp.PublicId, RemovalCause.Evicted));
        else
            Emit(new IsakmpExchangeRemoved(now, exchange!.InitiatorCookie, RemovalCause.Evicted, exchange.Inside));
        return true;
    }

    /// <summary>A PPTP control connection, or UDP to or from 500/4500 (IKE, NAT-T: an IPsec SA travels in it).</summary>
    private static bool CarriesVpnSession(PortMapping mapping) =>
        IsPptpControl(mapping)
        || (mapping.Protocol == IpProtocol.Udp
            && (mapping.RemotePort is NatTraversal.Port or FrameDissector.IsakmpPort
                || mapping.InsidePort is NatTraversal.Port or FrameDissector.IsakmpPort));

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
