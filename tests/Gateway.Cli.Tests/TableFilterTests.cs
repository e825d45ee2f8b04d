using System.Text.Json.Nodes;

namespace VpnMasq.Cli.Tests;

public sealed class TableFilterTests
{
    private static JsonArray Sample => JsonNode.Parse(SampleNode.Table)!.AsArray();

    private static List<string> Rows(JsonArray peers) =>
        peers.SelectMany(p => new[] { "ports", "icmp", "isakmp", "esp", "pptp" }
                .SelectMany(list => p![list]!.AsArray()
                    .Select(e => $"{p["peer"]} {(list == "ports" ? (string)e!["protocol"]! : list)} {e!["inside"]}")))
            .ToList();

    [Fact]
    public void NoFilter_KeepsEveryPeerIncludingEmptyOnes() =>
        Assert.Equal(3, TableFilter.None.Apply(Sample).Count);

    [Fact]
    public void Peer_KeepsOnlyThatPeer()
    {
        var peers = new TableFilter("199.0.0.10", null, null).Apply(Sample);

        Assert.Equal(["199.0.0.10"], peers.Select(p => (string)p!["peer"]!));
    }

    [Fact]
    public void Protocol_KeepsOnlyItsEntriesAndDropsPeersLeftEmpty()
    {
        var peers = new TableFilter(null, "esp", null).Apply(Sample);

        Assert.Equal(["199.0.0.9 esp 10.0.0.3", "199.0.0.9 esp 10.0.0.2"], Rows(peers));
        Assert.Single(peers);
    }

    [Fact]
    public void Protocol_Tcp_SelectsFromPortEntriesByTheirProtocol() =>
        Assert.Equal(["199.0.0.9 tcp 10.0.0.2:51000"], Rows(new TableFilter(null, "tcp", null).Apply(Sample)));

    [Fact]
    public void Inside_MatchesTheHostOfPortEntriesToo() =>
        Assert.Equal(
            ["199.0.0.9 tcp 10.0.0.2:51000", "199.0.0.9 icmp 10.0.0.2", "199.0.0.9 esp 10.0.0.2"],
            Rows(new TableFilter(null, null, "10.0.0.2").Apply(Sample)));

    [Fact]
    public void Inside_IsTheWholeAddressNotAPrefix()
    {
        var peers = JsonNode.Parse("""[{"peer":"199.0.0.1","owner":"n","icmp":[{"inside":"10.0.0.30","id":1,"publicId":2}]}]""")!.AsArray();

        Assert.Empty(new TableFilter(null, null, "10.0.0.3").Apply(peers));
    }

    [Fact]
    public void Filters_Combine() =>
        Assert.Equal(["199.0.0.9 udp 10.0.0.3:500"], Rows(new TableFilter("199.0.0.9", "udp", "10.0.0.3").Apply(Sample)));

    [Fact]
    public void Apply_KeepsFieldsTheCliDoesNotKnow()
    {
        var peers = JsonNode.Parse("""[{"peer":"199.0.0.1","owner":"n","future":42,"esp":[{"inside":"10.0.0.2","hint":"x"}]}]""")!.AsArray();

        var kept = new TableFilter(null, "esp", null).Apply(peers);

        Assert.Equal("""[{"peer":"199.0.0.1","owner":"n","future":42,"esp":[{"inside":"10.0.0.2","hint":"x"}]}]""", kept.ToJsonString());
    }

    [Fact]
    public void Apply_LeavesTheNodesAnswerUntouched()
    {
        var sample = Sample;

        new TableFilter(null, "pptp", null).Apply(sample);

        Assert.Equal(2, sample[1]!["esp"]!.AsArray().Count);
    }
}
