using System.Globalization;
namespace VpnMasq.Cli;

/// <summary>
/// The human views: one row per masquerade entry, read left to right as "this peer, this protocol, this
/// inside end, how it is translated, which node holds it". Ports, ICMP ids and PPTP calls read alike: the inside
/// value, <c>public</c> (what the outside sees), <c>remote</c> (the peer's side); ESP shows its SPI pair, ISAKMP its cookies.
/// </summary>
internal static class TableRendering
{
    private const string Unknown = "-";

    private static readonly string[] PeerHeader = ["PEER", "PROTO", "INSIDE", "DETAILS", "OWNER"];
    private static readonly string[] CounterHeader = ["COUNTER", "COUNT"];
    private static readonly string[] MemberHeader = ["NODE", "STATUS"];

    public static string Peers(IEnumerable<PeerView> peers, bool filtered)
    {
        var rows = new List<string[]> { PeerHeader };
        foreach (var peer in peers.OrderBy(p => SortKey(p.Peer), StringComparer.Ordinal))
        {
            var entries = Entries(peer).ToList();
            if (entries.Count == 0) entries.Add((Unknown, Unknown, "no mappings"));
            string owner = NodeAddress(peer.Owner);
            rows.AddRange(entries.Select(e => new[] { peer.Peer, e.Protocol, e.Inside, e.Details, owner }));
        }

        return rows.Count == 1 ? (filtered ? "no matching entries\n" : "no entries\n") : TextTable.Format(rows);
    }

    public static string Counters(IReadOnlyDictionary<string, long> counters)
    {
        if (counters.Count == 0) return "no counters yet\n";
        var rows = new List<string[]> { CounterHeader };
        rows.AddRange(counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new[] { c.Key, c.Value.ToString() }));
        return TextTable.Format(rows, 1);
    }

    public static string Members(IEnumerable<MemberView> members)
    {
        var rows = new List<string[]> { MemberHeader };
        rows.AddRange(members.Select(m => new[] { NodeAddress(m.Address), m.Status }));
        return rows.Count == 1 ? "no members\n" : TextTable.Format(rows);
    }

    private static IEnumerable<(string Protocol, string Inside, string Details)> Entries(PeerView peer)
    {
        foreach (var p in peer.Ports ?? [])
        {
            string state = p.State is null ? "" : " " + p.State;
            string forward = p.ViaForward ? " (port forward)" : "";
            yield return (p.Protocol, p.Inside, $"public {p.PublicPort} remote {p.RemotePort}{state}{forward}");
        }

        foreach (var i in peer.Icmp ?? [])
            yield return ("icmp", i.Inside, $"id {i.Id} public {i.PublicId}");
        foreach (var k in peer.Isakmp ?? [])
        {
            // ISAKMP keeps port 500 on both sides (DESIGN §3.2); nodes before the port was in the table leave it out.
            yield return k.PublicPort is { } port
                ? ("isakmp", $"{k.Inside}:{port}", $"public {port.ToString(CultureInfo.InvariantCulture)} init {k.InitiatorCookie} resp {k.ResponderCookie}")
                : ("isakmp", k.Inside, $"init {k.InitiatorCookie} resp {k.ResponderCookie}");
        }
        foreach (var e in peer.Esp ?? [])
            yield return ("esp", e.Inside, e.Outstanding ? $"out {e.OutboundSpi} in {Unknown} (awaiting reply)" : $"out {e.OutboundSpi} in {e.InboundSpi}");
        foreach (var c in peer.Pptp ?? [])
            yield return ("pptp", c.Inside, $"call {c.CallId} public {c.MasqueradedCallId} remote {(c.PeerCallId is { } peerCallId ? peerCallId : Unknown)}");
    }

    /// <summary>Every member shares the actor-system prefix (<c>akka.tcp://vpnmasq@</c>); host:port is what tells them apart.</summary>
    private static string NodeAddress(string address)
    {
        int at = address.LastIndexOf('@');
        return at < 0 ? address : address[(at + 1)..];
    }

    /// <summary>Numeric order for dotted quads, so 10.0.0.9 comes before 10.0.0.10.</summary>
    private static string SortKey(string address) =>
        string.Join('.', address.Split('.').Select(part => part.PadLeft(3, '0')));
}
