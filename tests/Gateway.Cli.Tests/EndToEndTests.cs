namespace VpnMasq.Cli.Tests;

/// <summary>Each command against a real HTTP server on loopback answering like a node.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task Table_FilteredByProtocol_PrintsOnlyThoseRows()
    {
        using var node = CannedNode.Sample();

        var outcome = await Outcome.Of("--url", node.Url, "table", "--protocol", "esp");

        Assert.Equal(new Outcome(0,
            """
            PEER       PROTO  INSIDE    DETAILS                             OWNER
            199.0.0.9  esp    10.0.0.3  out c0ffee01 in 0badf00d            10.1.0.1:4053
            199.0.0.9  esp    10.0.0.2  out 12345678 in - (awaiting reply)  10.1.0.1:4053

            """, ""), outcome);
    }

    [Fact]
    public async Task Table_Json_PrintsTheFilteredJson()
    {
        using var node = CannedNode.Sample();

        var outcome = await Outcome.Of("--url", node.Url, "--json", "table", "--peer", "199.0.0.10");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(
            """[{"peer":"199.0.0.10","owner":"akka.tcp://vpnmasq@10.1.0.2:4053","ports":[],"icmp":[],"isakmp":[],"esp":[],"pptp":[{"inside":"10.0.0.4","callId":5,"masqueradedCallId":40001,"peerCallId":null}]}]""" + "\n",
            outcome.Stdout);
    }

    [Fact]
    public async Task Table_NothingMatches_SaysSo()
    {
        using var node = CannedNode.Sample();

        var outcome = await Outcome.Of("--url", node.Url, "table", "--inside", "10.9.9.9");

        Assert.Equal(new Outcome(0, "no matching entries\n", ""), outcome);
    }

    [Fact]
    public async Task Counters_PrintsATable()
    {
        using var node = CannedNode.Sample();

        var outcome = await Outcome.Of("--url", node.Url, "counters");

        Assert.Equal(0, outcome.ExitCode);
        Assert.StartsWith("COUNTER                COUNT\ndrop:esp-init-blocked      1\n", outcome.Stdout);
    }

    [Fact]
    public async Task Members_Json_PrintsTheNodesJson()
    {
        using var node = CannedNode.Sample();

        var outcome = await Outcome.Of("--url", node.Url, "members", "--json");

        Assert.Equal(new Outcome(0, SampleNode.Members + "\n", ""), outcome);
    }

    [Fact]
    public async Task Health_ReadyNode_ExitsZero()
    {
        using var node = CannedNode.Sample();

        Assert.Equal(new Outcome(0, $"{node.Url} is ready\n", ""), await Outcome.Of("--url", node.Url, "health"));
    }

    [Fact]
    public async Task Health_NotReadyNode_ExitsOne()
    {
        using var node = new CannedNode(new() { ["/ready"] = (503, "not ready\n") });

        Assert.Equal(new Outcome(1, $"{node.Url} is not ready\n", ""), await Outcome.Of("--url", node.Url, "health"));
    }

    [Fact]
    public async Task Health_NeedsNoToken()
    {
        using var node = CannedNode.Sample(token: "s3cret");

        Assert.Equal(0, (await Outcome.Of("--url", node.Url, "health")).ExitCode);
    }

    [Fact]
    public async Task TokenProtectedNode_WithTokenFile_Answers()
    {
        using var node = CannedNode.Sample(token: "s3cret");

        using var token = new TempFile("s3cret\n");

        var outcome = await Outcome.Of("--url", node.Url, "--token-file", token.Path, "members");

        Assert.Equal(new Outcome(0, "NODE           STATUS\n10.1.0.1:4053  Up\n10.1.0.2:4053  Leaving\n", ""), outcome);
    }

    [Fact]
    public async Task UrlWithAPathPrefix_KeepsThePrefix()
    {
        using var node = new CannedNode(new() { ["/gw1/members"] = (200, SampleNode.Members) });

        Assert.Equal(0, (await Outcome.Of("--url", node.Url + "/gw1", "members")).ExitCode);
    }

    [Fact]
    public async Task Help_PrintsUsageOnStdoutAndExitsZero()
    {
        var outcome = await Outcome.Of("--help");

        Assert.Equal(0, outcome.ExitCode);
        Assert.StartsWith("usage: vpnmasq ", outcome.Stdout);
    }
}
