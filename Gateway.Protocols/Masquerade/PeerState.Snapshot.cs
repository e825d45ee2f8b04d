using VpnMasq.Protocols.Masquerade.Esp;
using VpnMasq.Protocols.Masquerade.Icmp;
using VpnMasq.Protocols.Masquerade.Isakmp;
using VpnMasq.Protocols.Masquerade.Ports;
using VpnMasq.Protocols.Masquerade.Pptp;
using VpnMasq.Protocols.Masquerade.Snapshots;

namespace VpnMasq.Protocols.Masquerade;

// Snapshots: the whole table as data, so recovery need not replay a peer's entire history.
public sealed partial class PeerState
{
    public PeerSnapshot TakeSnapshot() => new(
        Remote,
        LastActivity,
        Ports.Mappings
            .Select(m => new PortRow(m.Protocol, m.Inside, m.InsidePort, m.RemotePort, m.PublicPort, m.ViaForward,
                m.State, m.FinFromInside, m.FinFromRemote, m.LastSeen))
            .OrderBy(r => r.Protocol).ThenBy(r => r.PublicPort).ThenBy(r => r.RemotePort).ToList(),
        Icmp.Mappings.Select(m => new IcmpRow(m.Inside, m.InsideId, m.PublicId, m.LastSeen)).OrderBy(r => r.PublicId).ToList(),
        // Exchanges sharing an initiator cookie keep their table order (a stable sort): a reply naming no known
        // responder cookie goes to the last one awaiting it, so that order is part of the table.
        Isakmp.Exchanges
            .Select(x => new IsakmpRow(x.Inside, x.InitiatorCookie, x.ResponderCookie, x.Started, x.LastSeen))
            .OrderBy(r => r.InitiatorCookie).ToList(),
        Isakmp.LatestSpeaker,
        Esp.Entries
            .Select(e => new EspRow(e.Inside, e.OutboundSpi, e.InboundSpi, e.Created, e.LastSeen, e.Collided,
                e.RetriesSinceCollision, e.Announced, ReferenceEquals(e, Esp.Outstanding)))
            .OrderBy(r => r.Inside).ThenBy(r => r.OutboundSpi).ToList(),
        Esp.Waiting.Select(w => new EspWaiter(w.Inside, w.Since)).ToList(),
        Esp.LastRekey.Select(r => new EspRekey(r.Key, r.Value)).OrderBy(r => r.Inside).ToList(),
        Esp.TurnEndedHost,
        Calls.Calls
            .Select(c => new PptpRow(c.Inside, c.InsidePort, c.CallId, c.MasqueradedCallId, c.PeerCallId, c.LastSeen, c.PeerCallIdKnown))
            .OrderBy(r => r.MasqueradedCallId).ToList(),
        Ports.Cursor,
        Icmp.Cursor);

    /// <summary>Rebuilds a fresh peer from a snapshot (recovery). The peer must be empty.</summary>
    public void Restore(PeerSnapshot snapshot)
    {
        if (snapshot.Remote != Remote)
            throw new ArgumentException($"Snapshot of peer {snapshot.Remote} restored into peer {Remote}.", nameof(snapshot));
        if (!IsEmpty)
            throw new InvalidOperationException("Restore needs an empty peer.");
        LastActivity = snapshot.LastActivity;
        Ports.Cursor = snapshot.PortCursor;
        Icmp.Cursor = snapshot.IcmpCursor;
        foreach (var r in snapshot.Ports)
        {
            Ports.Restore(new PortMapping
            {
                Protocol = r.Protocol, Inside = r.Inside, InsidePort = r.InsidePort, RemotePort = r.RemotePort,
                PublicPort = r.PublicPort, ViaForward = r.ViaForward, State = r.State,
                FinFromInside = r.FinFromInside, FinFromRemote = r.FinFromRemote, LastSeen = r.LastSeen,
            });
        }

        foreach (var r in snapshot.Icmp)
            Icmp.Restore(new IcmpMapping(r.Inside, r.InsideId, r.PublicId) { LastSeen = r.LastSeen });
        foreach (var r in snapshot.Isakmp)
        {
            Isakmp.Restore(new IsakmpExchange
            {
                Inside = r.Inside, InitiatorCookie = r.InitiatorCookie, ResponderCookie = r.ResponderCookie,
                Started = r.Started, LastSeen = r.LastSeen,
            });
        }

        Isakmp.RestoreLatestSpeaker(snapshot.IsakmpLatestSpeaker);
        Esp.Restore(
            snapshot.Esp.Select(r => (new EspEntry
            {
                Inside = r.Inside, OutboundSpi = r.OutboundSpi, InboundSpi = r.InboundSpi, Created = r.Created,
                LastSeen = r.LastSeen, Collided = r.Collided, RetriesSinceCollision = r.RetriesSinceCollision, Announced = r.Announced,
            }, r.Outstanding)),
            snapshot.EspWaiting.Select(w => (w.Inside, w.Since)),
            snapshot.EspLastRekey.Select(r => (r.Inside, r.At)),
            snapshot.EspTurnEndedHost);
        foreach (var r in snapshot.Calls)
        {
            Calls.Restore(new PptpCall
            {
                Inside = r.Inside, InsidePort = r.InsidePort, CallId = r.CallId, MasqueradedCallId = r.MasqueradedCallId,
                PeerCallId = r.PeerCallId, PeerCallIdKnown = r.PeerCallIdKnown, LastSeen = r.LastSeen,
            });
        }
    }
}
