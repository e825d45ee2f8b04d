namespace VpnMasq.Cli.Tests;

public sealed class CommandLineTests
{
    private static Invocation Parse(params string[] args) => CommandLine.Parse(args, urlFromEnvironment: null);

    private static string Refusal(params string[] args) => Assert.Throws<UsageException>(() => Parse(args)).Message;

    [Fact]
    public void NoUrl_TalksToTheLocalNode() =>
        Assert.Equal(new Uri("http://127.0.0.1:9555"), Parse("counters").Url);

    [Fact]
    public void NoUrlOption_TakesVpnmasqUrlFromTheEnvironment() =>
        Assert.Equal(new Uri("http://10.1.0.2:9555"), CommandLine.Parse(["members"], "http://10.1.0.2:9555").Url);

    [Fact]
    public void UrlOption_WinsOverTheEnvironment() =>
        Assert.Equal(new Uri("http://10.1.0.3:9555"), CommandLine.Parse(["--url", "http://10.1.0.3:9555", "members"], "http://10.1.0.2:9555").Url);

    [Fact]
    public void Options_MayFollowTheCommandAndUseEquals()
    {
        var invocation = Parse("table", "--json", "--token-file=/etc/vpnmasq/token", "--url=http://gw:9555");

        Assert.Equal(new Invocation(new Uri("http://gw:9555"), "/etc/vpnmasq/token", true, "table", TableFilter.None), invocation);
    }

    [Fact]
    public void TableFilters_AreNormalised()
    {
        var invocation = Parse("table", "--peer", "199.0.0.9", "--protocol", "ESP", "--inside", "10.0.0.2");

        Assert.Equal(new TableFilter("199.0.0.9", "esp", "10.0.0.2"), invocation.Filter);
    }

    [Fact]
    public void Help_IsAskedFor() => Assert.Equal(CommandLine.Help, Parse("--help").Command);

    [Fact]
    public void NoCommand_IsRefused() => Assert.Equal("no command given", Refusal("--json"));

    [Fact]
    public void UnknownCommand_IsRefused() => Assert.Equal("unknown command 'peers'", Refusal("peers"));

    [Fact]
    public void SecondCommand_IsRefused() => Assert.Equal("unexpected argument 'members'", Refusal("table", "members"));

    [Fact]
    public void UnknownOption_IsRefused() => Assert.Equal("unknown option --verbose", Refusal("table", "--verbose"));

    [Fact]
    public void OptionWithoutValue_IsRefused() => Assert.Equal("--url needs a value", Refusal("table", "--url"));

    [Fact]
    public void JsonWithValue_IsRefused() => Assert.Equal("--json takes no value", Refusal("table", "--json=yes"));

    [Fact]
    public void UnknownProtocol_IsRefused() =>
        Assert.Equal("--protocol is one of esp, isakmp, pptp, tcp, udp, icmp, not 'gre'", Refusal("table", "--protocol", "gre"));

    [Theory]
    [InlineData("10.1")]
    [InlineData("10.0.0.256")]
    [InlineData("gateway")]
    [InlineData("::1")]
    public void PeerThatIsNotADottedQuad_IsRefused(string peer) =>
        Assert.Equal($"--peer wants an IPv4 address such as 10.0.0.2, not '{peer}'", Refusal("table", "--peer", peer));

    [Fact]
    public void TableFilter_OnAnotherCommand_IsRefused() =>
        Assert.Equal("--peer, --protocol and --inside filter the table command only", Refusal("counters", "--protocol", "esp"));

    [Theory]
    [InlineData("127.0.0.1:9555")]
    [InlineData("ftp://127.0.0.1:9555")]
    public void UrlThatIsNotHttp_IsRefused(string url) =>
        Assert.Equal($"'{url}' is not an http:// or https:// URL", Refusal("--url", url, "health"));
}
