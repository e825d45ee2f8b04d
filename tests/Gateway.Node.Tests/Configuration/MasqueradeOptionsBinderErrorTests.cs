using VpnMasq.Node.Configuration;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Node.Tests.Configuration;

public sealed class MasqueradeOptionsBinderErrorTests
{
    private static readonly uint FallbackPublic = Ipv4Address.Parse("198.51.100.1");

    private static ConfigurationException BindFails(Source source, params (string Key, string Value)[] pairs) =>
        Assert.Throws<ConfigurationException>(() => MasqueradeOptionsBinder.Bind(ConfigurationSources.Build(source, pairs), FallbackPublic));

    [Fact]
    public void Inside_NotACidr_NamesTheEntry()
    {
        var error = BindFails(Source.CommandLine, ("Masquerade:Inside:0", "10.0.0.0/8"), ("Masquerade:Inside:1", "10.0.0.0/33"));

        Assert.Equal("Masquerade:Inside:1: '10.0.0.0/33' is not an IPv4 CIDR (a.b.c.d/n)", error.Message);
        Assert.Equal("Masquerade:Inside:1", error.Key);
    }

    [Theory]
    [InlineData("Masquerade:Inside:0", "10.0.0/8")]
    [InlineData("Masquerade:Inside:0", "")]
    [InlineData("Masquerade:PublicAddress", "200.200.200")]
    [InlineData("Masquerade:PublicAddress", "300.1.1.1")]
    [InlineData("Masquerade:PublicAddress", "gateway.example")]
    [InlineData("Masquerade:PublicAddress", "0.0.0.0")]
    [InlineData("Masquerade:PublicAddress", "224.0.0.1")]
    [InlineData("Masquerade:PublicAddress", "10.1.2.3")]
    [InlineData("Masquerade:PublicAddress", "")]
    [InlineData("Masquerade:Esp:TableLifetime", "soon")]
    [InlineData("Masquerade:Esp:TableLifetime", "-00:01:00")]
    [InlineData("Masquerade:Esp:TableLifetime", "00:00:00")]
    [InlineData("Masquerade:Esp:TableLifetime", "30")]
    [InlineData("Masquerade:Esp:InitLifetime", "ten seconds")]
    [InlineData("Masquerade:Esp:InitLifetime", "-00:00:10")]
    [InlineData("Masquerade:Esp:InitRetries", "three")]
    [InlineData("Masquerade:Esp:InitRetries", "-1")]
    [InlineData("Masquerade:Esp:InitRetries", "2.5")]
    [InlineData("Masquerade:Esp:ParallelSessions", "yes")]
    [InlineData("Masquerade:Esp:ParallelSessions", "1")]
    [InlineData("Masquerade:Isakmp:Lifetime", "-01:00:00")]
    [InlineData("Masquerade:Isakmp:Lifetime", "forever")]
    [InlineData("Masquerade:Ports:TcpEstablishedLifetime", "00:00:00")]
    [InlineData("Masquerade:Ports:TcpTransitoryLifetime", "x")]
    [InlineData("Masquerade:Ports:TcpClosingLifetime", "-00:00:10")]
    [InlineData("Masquerade:Ports:UdpLifetime", "5")]
    [InlineData("Masquerade:Ports:IcmpLifetime", "a minute")]
    [InlineData("Masquerade:Ports:FirstPort", "0")]
    [InlineData("Masquerade:Ports:FirstPort", "65536")]
    [InlineData("Masquerade:Ports:LastPort", "port")]
    [InlineData("Masquerade:Ports:LastPort", "-1")]
    [InlineData("Masquerade:Limits:EntriesPerPeer", "0")]
    [InlineData("Masquerade:Limits:Peers", "-5")]
    [InlineData("Masquerade:Limits:FragmentTrains", "many")]
    [InlineData("Masquerade:Limits:FragmentTimeout", "00:00:00")]
    [InlineData("Masquerade:Limits:Mtu", "575")]
    [InlineData("Masquerade:Limits:Mtu", "70000")]
    [InlineData("Masquerade:Routed:0", "10.0.0.300")]
    [InlineData("Masquerade:Routed:0", "192.0.2.1")]
    [InlineData("Masquerade:Rules:0", " ")]
    [InlineData("Masquerade:Rules:0", "-A forward -j FOO")]
    [InlineData("Masquerade:Rules:0", "ipfwadm -F -a masquerade -S 10.0.0.0/33")]
    [InlineData("Node:InsideInterface", " ")]
    public void BadValue_NamesKeyAndValue(string key, string value)
    {
        var error = BindFails(Source.CommandLine, (key, value));

        Assert.StartsWith($"{key}: '{value}' ", error.Message);
        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void BadRule_AmongGoodOnes_NamesItsOwnEntryAndTheWordThatFailed()
    {
        var error = BindFails(Source.CommandLine,
            ("Masquerade:Rules:0", "-P forward DENY"), ("Masquerade:Rules:1", "-A forward -s 10.0.0.0/8 -j MASQ"), ("Masquerade:Rules:2", "-A forward -j FOO"));

        Assert.Equal("Masquerade:Rules:2", error.Key);
        Assert.Contains("'FOO'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Masquerade:Esp:InitRetries", "-1")]
    [InlineData("Masquerade:Limits:Mtu", "100")]
    [InlineData("Masquerade:Esp:TableLifetime", "-00:01:00")]
    public void BadValue_InAFile_NamesKeyAndValue(string key, string value)
    {
        var error = BindFails(Source.Json, (key, value));

        Assert.StartsWith($"{key}: '{value}' ", error.Message);
    }

    [Fact]
    public void BadValue_InTheEnvironment_NamesKeyAndValue()
    {
        var error = BindFails(Source.Environment, ("Masquerade:Esp:ParallelSessions", "maybe"));

        Assert.StartsWith("Masquerade:Esp:ParallelSessions: 'maybe' ", error.Message);
    }

    [Fact]
    public void FirstPort_AboveLastPort_NamesFirstPort()
    {
        var error = BindFails(Source.CommandLine, ("Masquerade:Ports:FirstPort", "50000"), ("Masquerade:Ports:LastPort", "40000"));

        Assert.StartsWith("Masquerade:Ports:FirstPort: '50000' is above Masquerade:Ports:LastPort (40000)", error.Message);
    }

    [Fact]
    public void Inside_EmptyList_IsAnError()
    {
        var error = Assert.Throws<ConfigurationException>(() => MasqueradeOptionsBinder.Bind(
            ConfigurationSources.FromJson("""{ "Masquerade": { "Inside": [], "PublicAddress": "198.51.100.1" } }""")));

        Assert.StartsWith("Masquerade:Inside: is empty", error.Message);
    }

    [Theory]
    [InlineData("Masquerade:Foo", "1", "Masquerade:Foo: unknown key")]
    [InlineData("Masquerade:Esp:InitRetry", "1", "Masquerade:Esp:InitRetry: unknown key (did you mean Masquerade:Esp:InitRetries?")]
    [InlineData("Masquerade:Isakmp:Lifetimes", "00:30:00", "Masquerade:Isakmp:Lifetimes: unknown key (did you mean Masquerade:Isakmp:Lifetime?")]
    [InlineData("Masquerade:Ports:FirstPorts", "1", "Masquerade:Ports:FirstPorts: unknown key")]
    [InlineData("Masquerade:Limits:MTUs", "1500", "Masquerade:Limits:MTUs: unknown key")]
    [InlineData("Masquerade:Inside:first", "10.0.0.0/8", "Masquerade:Inside:first: unknown key")]
    [InlineData("Masquerade:Rules:x", "-P forward DENY", "Masquerade:Rules:x: unknown key")]
    [InlineData("Masquerade:PortForwards:0:Port", "500", "Masquerade:PortForwards:0:Port: unknown key")]
    [InlineData("Masquerade:ProtocolForwards:0:Proto", "50", "Masquerade:ProtocolForwards:0:Proto: unknown key")]
    [InlineData("Masquerade:Esp", "fast", "Masquerade:Esp: 'fast' expected a section")]
    [InlineData("Masquerade:PortForwards", "udp 500", "Masquerade:PortForwards: 'udp 500' expected a list")]
    [InlineData("Masquerade:Esp:InitRetries:0", "5", "Masquerade:Esp:InitRetries: expected a single value, found Masquerade:Esp:InitRetries:0")]
    public void UnknownOrMisplacedKey_IsNamed(string key, string value, string expectedStart)
    {
        var error = BindFails(Source.CommandLine, (key, value));

        Assert.StartsWith(expectedStart, error.Message);
    }

    [Fact]
    public void UnknownKey_FromTheEnvironment_IsNamed()
    {
        var error = BindFails(Source.Environment, ("Masquerade:Esp:InitRetrys", "4"));

        Assert.StartsWith("Masquerade:Esp:InitRetrys: unknown key", error.Message);
    }

    [Fact]
    public void Inside_BothSingleValueAndList_IsAnError()
    {
        var error = BindFails(Source.CommandLine, ("Masquerade:Inside", "10.0.0.0/8"), ("Masquerade:Inside:0", "192.168.0.0/16"));

        Assert.StartsWith("Masquerade:Inside: '10.0.0.0/8' is given both as a single value and as a list", error.Message);
    }
}
