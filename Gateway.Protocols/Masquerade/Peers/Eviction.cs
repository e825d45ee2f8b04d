using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Icmp;
using VpnMasq.Protocols.Masquerade.Isakmp;
using VpnMasq.Protocols.Masquerade.Ports;

namespace VpnMasq.Protocols.Masquerade.Peers;

/// <summary>Masquerade:Limits:EntriesPerPeer: what a flood of new flows may push out of a full table, and what it may not.</summary>
internal static class Eviction
{
    /// <summary>
    /// Keeps the peer within its entry limit by evicting the least recently used entry that carries no established
    /// VPN session: a plain TCP/UDP mapping, an ICMP mapping, or an ISAKMP exchange still awaiting its first reply.
    /// ESP associations, answered ISAKMP exchanges, PPTP calls, and the control connections and IKE/NAT-T mappings
    /// that carry them leave only by closing or idling past their lifetime: evicting by last use alone let a port
    /// sweep end a PPTP call whose control connection had been quiet longer than the sweep's oldest mapping.
    /// False when nothing may be evicted (the table is full of VPN sessions): the new entry is refused.
    /// </summary>
    public static bool MakeRoom(PeerDecisionBuilder b)
    {
        var peer = b.Peer;
        if (peer.EntryCount - b.Freed < b.Options.Limits.EntriesPerPeer)
            return true;
        PortMapping? port = null;
        foreach (var mapping in peer.Ports.Mappings)
        {
            if (!PortRules.IsPptpControl(mapping) && !PortRules.CarriesIke(mapping) && (port is null || mapping.LastSeen < port.LastSeen))
                port = mapping;
        }

        IcmpMapping? icmp = null;
        foreach (var mapping in peer.Icmp.Mappings)
        {
            if (icmp is null || mapping.LastSeen < icmp.LastSeen)
                icmp = mapping;
        }

        IsakmpExchange? exchange = null;
        foreach (var candidate in peer.Isakmp.Exchanges)
        {
            if (candidate.AwaitingReply && (exchange is null || candidate.LastSeen < exchange.LastSeen))
                exchange = candidate;
        }

        var oldest = Min(Min(port?.LastSeen, icmp?.LastSeen), exchange?.LastSeen);
        if (oldest is null)
            return false;
        if (port is not null && port.LastSeen == oldest)
            PortRules.Unmap(b, port, RemovalCause.Evicted);
        else if (icmp is not null && icmp.LastSeen == oldest)
            b.Emit(new IcmpUnmapped(b.Now, icmp.PublicId, RemovalCause.Evicted));
        else
            b.Emit(new IsakmpExchangeRemoved(b.Now, exchange!.InitiatorCookie, RemovalCause.Evicted, exchange.Inside));
        return true;
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
