namespace VpnMasq.Cli.Tests;

/// <summary>Every way the CLI gives up: one line on stderr (usage text for bad usage), exit code 2.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task TokenProtectedNode_WithoutToken_AsksForOne()
    {
        using var node = CannedNode.Sample(token: "s3cret");

        Assert.Equal(new Outcome(2, "", "vpnmasq: the node wants a token (--token-file)\n"), await Outcome.Of("--url", node.Url, "table"));
    }

    [Fact]
    public async Task TokenProtectedNode_WithWrongToken_NamesTheFile()
    {
        using var node = CannedNode.Sample(token: "s3cret");
        using var token = new TempFile("guess");

        var outcome = await Outcome.Of("--url", node.Url, "--token-file", token.Path, "counters");

        Assert.Equal(new Outcome(2, "", $"vpnmasq: the node refused the token in {token.Path}\n"), outcome);
    }

    [Fact]
    public async Task MissingTokenFile_IsOneLineAndExitsTwo()
    {
        var outcome = await Outcome.Of("--token-file", "/nonexistent/vpnmasq-token", "table");

        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("vpnmasq: cannot read token file /nonexistent/vpnmasq-token: ", outcome.Stderr);
        Assert.Single(outcome.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task UnreachableNode_IsOneLineAndExitsTwo()
    {
        string url = $"http://127.0.0.1:{CannedNode.FreePort()}";

        var outcome = await Outcome.Of("--url", url, "table");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("", outcome.Stdout);
        Assert.StartsWith($"vpnmasq: cannot reach {url}: ", outcome.Stderr);
        Assert.Single(outcome.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task NodeAnsweringAnError_IsOneLineAndExitsTwo()
    {
        using var node = new CannedNode(new() { ["/counters"] = (500, "boom\nstack\n") });

        var outcome = await Outcome.Of("--url", node.Url, "counters");

        Assert.Equal(new Outcome(2, "", $"vpnmasq: {node.Url}/counters answered 500: boom\n"), outcome);
    }

    [Fact]
    public async Task NodeAnsweringSomethingElseThanJson_IsOneLineAndExitsTwo()
    {
        using var node = new CannedNode(new() { ["/table"] = (200, "<html>proxy login</html>") });

        var outcome = await Outcome.Of("--url", node.Url, "table");

        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("vpnmasq: /table did not answer JSON: ", outcome.Stderr);
    }

    [Fact]
    public async Task BadUsage_PrintsUsageOnStderrAndExitsTwo()
    {
        var outcome = await Outcome.Of("tabel");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("", outcome.Stdout);
        Assert.StartsWith("vpnmasq: unknown command 'tabel'\n\nusage: vpnmasq ", outcome.Stderr);
    }
}
