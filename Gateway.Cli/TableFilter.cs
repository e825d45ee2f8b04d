using System.Text.Json.Nodes;

namespace VpnMasq.Cli;

/// <summary>
/// Narrows the node's <c>/table</c> JSON to one peer, protocol or inside host. It works on the JSON itself
/// so <c>--json</c> passes through fields this CLI does not know. A filter on entries drops the peers
/// left with none; a peer with no entries at all survives an unfiltered view, because where it lives is news.
/// </summary>
internal sealed record TableFilter(string? Peer, string? Protocol, string? Inside)
{
    public static readonly TableFilter None = new(null, null, null);

    /// <summary>The per-peer lists; in <c>ports</c> each entry names its protocol, in the others the list does.</summary>
    private static readonly string[] EntryLists = ["ports", "icmp", "isakmp", "esp", "pptp"];

    private bool FiltersEntries => Protocol is not null || Inside is not null;

    public JsonArray Apply(JsonArray peers)
    {
        var kept = new JsonArray();
        foreach (var node in peers)
        {
            if (node is not JsonObject peer || (Peer is not null && Text(peer["peer"]) != Peer)) continue;

            var copy = peer.DeepClone().AsObject();
            if (FiltersEntries && KeepMatchingEntries(copy) == 0) continue;
            kept.Add(copy);
        }

        return kept;
    }

    private int KeepMatchingEntries(JsonObject peer)
    {
        int left = 0;
        foreach (string list in EntryLists)
        {
            if (peer[list] is not JsonArray entries) continue;
            foreach (var entry in entries.Where(e => !Matches(list, e)).ToList()) entries.Remove(entry);
            left += entries.Count;
        }

        return left;
    }

    private bool Matches(string list, JsonNode? entry)
    {
        string? protocol = list == "ports" ? Text(entry?["protocol"]) : list;
        if (Protocol is not null && protocol != Protocol) return false;
        return Inside is null || InsideHost(Text(entry?["inside"])) == Inside;
    }

    /// <summary>Port entries show the inside end as <c>host:port</c>; the others as the host alone.</summary>
    private static string? InsideHost(string? inside) => inside?.Split(':')[0];

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
