using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Protocols.Masquerade;

// Expiry of everything at once. Decisions expire what they touch lazily; this reclaims the rest.
public sealed partial class PeerState
{
    /// <summary>Removes every entry whose lifetime has passed at <paramref name="now"/>.</summary>
    public void Sweep(TimeSpan now, List<PeerEvent> events)
    {
        _events = events;
        try
        {
            foreach (var mapping in Ports.Mappings.Where(m => IsExpired(m, now)).ToList())
                Unmap(mapping, RemovalCause.Expired, now);
            foreach (var mapping in Icmp.Mappings.Where(m => now - m.LastSeen > Options.Ports.IcmpLifetime).ToList())
                Emit(new IcmpUnmapped(now, mapping.PublicId, RemovalCause.Expired));
            foreach (var cookie in Isakmp.Exchanges.GroupBy(x => x.InitiatorCookie)
                         .Where(g => g.All(x => now - x.LastSeen > Options.Isakmp.Lifetime)).Select(g => g.Key).ToList())
                Emit(new IsakmpExchangeRemoved(now, cookie, RemovalCause.Expired));
            ExpireEsp(now);
            foreach (var entry in Esp.Entries.Where(e => !e.IsOutstanding && now - e.LastSeen > Options.Esp.TableLifetime).ToList())
                Emit(new EspEntryRemoved(now, entry.Inside, entry.OutboundSpi, RemovalCause.Expired));

            // A call outlives its control connection only by mistake; one whose connection is gone is dropped.
            foreach (var call in Calls.Calls.Where(c => !Ports.Mappings.Any(m => m.Inside == c.Inside && m.InsidePort == c.InsidePort)).ToList())
                Emit(new PptpCallUnmapped(now, call.MasqueradedCallId, RemovalCause.Expired));
        }
        finally
        {
            _events = null;
        }
    }

    /// <summary>Closes every entry at once: the public address changed, so none of them can work (DESIGN §3.7).</summary>
    public void CloseAll(TimeSpan now, RemovalCause cause, List<PeerEvent> events)
    {
        _events = events;
        try
        {
            foreach (var call in Calls.Calls.ToList())
                Emit(new PptpCallUnmapped(now, call.MasqueradedCallId, cause));
            foreach (var mapping in Ports.Mappings.ToList())
                Emit(new PortUnmapped(now, mapping.Protocol, mapping.PublicPort, mapping.RemotePort, cause));
            foreach (var mapping in Icmp.Mappings.ToList())
                Emit(new IcmpUnmapped(now, mapping.PublicId, cause));
            foreach (var cookie in Isakmp.Exchanges.Select(x => x.InitiatorCookie).Distinct().ToList())
                Emit(new IsakmpExchangeRemoved(now, cookie, cause));
            foreach (var entry in Esp.Entries.ToList())
                Emit(new EspEntryRemoved(now, entry.Inside, entry.OutboundSpi, cause));
        }
        finally
        {
            _events = null;
        }
    }
}
