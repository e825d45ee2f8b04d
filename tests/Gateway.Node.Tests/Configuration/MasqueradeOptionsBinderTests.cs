using VpnMasq.Node.Configuration;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Tests.Configuration;

public sealed class MasqueradeOptionsBinderTests
{
    private static readonly uint FallbackPublic = Ipv4Address.Parse("198.51.100.1");

    private sealed record KeyCase((string Key, string Value)[] Pairs, Action<MasqueradeOptions> Check);

    /// <summary>Every key of DESIGN §5.1 and ours, each set to a value other than its default.</summary>
    private static readonly Dictionary<string, KeyCase> KeyCases = new()
    {
        ["Inside"] = new(
            [("Masquerade:Inside:0", "192.168.0.0/16"), ("Masquerade:Inside:1", "172.16.0.0/12")],
            o => Assert.Equal([Cidr.Parse("192.168.0.0/16"), Cidr.Parse("172.16.0.0/12")], o.Inside)),
        ["Routed"] = new(
            [("Masquerade:Routed:0", "10.0.0.9"), ("Masquerade:Routed:1", "10.1.0.0/24")],
            o => Assert.Equal([Cidr.Parse("10.0.0.9/32"), Cidr.Parse("10.1.0.0/24")], o.Routed)),
        ["PublicAddress"] = new(
            [("Masquerade:PublicAddress", "203.0.113.7")],
            o => Assert.Equal((Ipv4Address.Parse("203.0.113.7"), false), (o.PublicAddress, o.PublicAddressAuto))),
        ["PublicAddress=auto"] = new(
            [("Masquerade:PublicAddress", "auto")],
            o => Assert.Equal((0u, true), (o.PublicAddress, o.PublicAddressAuto))),
        ["Esp:TableLifetime"] = new([("Masquerade:Esp:TableLifetime", "01:00:00")], o => Assert.Equal(TimeSpan.FromHours(1), o.Esp.TableLifetime)),
        ["Esp:InitLifetime"] = new([("Masquerade:Esp:InitLifetime", "00:00:20")], o => Assert.Equal(TimeSpan.FromSeconds(20), o.Esp.InitLifetime)),
        ["Esp:InitRetries"] = new([("Masquerade:Esp:InitRetries", "5")], o => Assert.Equal(5, o.Esp.InitRetries)),
        ["Esp:ParallelSessions"] = new([("Masquerade:Esp:ParallelSessions", "true")], o => Assert.True(o.Esp.ParallelSessions)),
        ["Isakmp:Lifetime"] = new([("Masquerade:Isakmp:Lifetime", "02:00:00")], o => Assert.Equal(TimeSpan.FromHours(2), o.Isakmp.Lifetime)),
        ["Ports:TcpEstablishedLifetime"] = new(
            [("Masquerade:Ports:TcpEstablishedLifetime", "03:00:00")], o => Assert.Equal(TimeSpan.FromHours(3), o.Ports.TcpEstablishedLifetime)),
        ["Ports:TcpTransitoryLifetime"] = new(
            [("Masquerade:Ports:TcpTransitoryLifetime", "00:05:00")], o => Assert.Equal(TimeSpan.FromMinutes(5), o.Ports.TcpTransitoryLifetime)),
        ["Ports:TcpClosingLifetime"] = new(
            [("Masquerade:Ports:TcpClosingLifetime", "00:00:30")], o => Assert.Equal(TimeSpan.FromSeconds(30), o.Ports.TcpClosingLifetime)),
        ["Ports:UdpLifetime"] = new([("Masquerade:Ports:UdpLifetime", "00:10:00")], o => Assert.Equal(TimeSpan.FromMinutes(10), o.Ports.UdpLifetime)),
        ["Ports:IcmpLifetime"] = new([("Masquerade:Ports:IcmpLifetime", "00:00:45")], o => Assert.Equal(TimeSpan.FromSeconds(45), o.Ports.IcmpLifetime)),
        ["Ports:FirstPort"] = new([("Masquerade:Ports:FirstPort", "30000")], o => Assert.Equal(30000, o.Ports.FirstPort)),
        ["Ports:LastPort"] = new([("Masquerade:Ports:LastPort", "41000")], o => Assert.Equal(41000, o.Ports.LastPort)),
        ["Limits:EntriesPerPeer"] = new([("Masquerade:Limits:EntriesPerPeer", "100")], o => Assert.Equal(100, o.Limits.EntriesPerPeer)),
        ["Limits:Peers"] = new([("Masquerade:Limits:Peers", "50")], o => Assert.Equal(50, o.Limits.Peers)),
        ["Limits:FragmentTrains"] = new([("Masquerade:Limits:FragmentTrains", "16")], o => Assert.Equal(16, o.Limits.FragmentTrains)),
        ["Limits:FragmentTimeout"] = new(
            [("Masquerade:Limits:FragmentTimeout", "00:00:02")], o => Assert.Equal(TimeSpan.FromSeconds(2), o.Limits.FragmentTimeout)),
        ["Limits:Mtu"] = new([("Masquerade:Limits:Mtu", "1400")], o => Assert.Equal(1400, o.Limits.Mtu)),
        ["PortForwards"] = new(
            [
                ("Masquerade:PortForwards:0:Protocol", "tcp"), ("Masquerade:PortForwards:0:PublicPort", "1723"),
                ("Masquerade:PortForwards:0:Target", "10.0.0.3:1723"),
                ("Masquerade:PortForwards:1:Protocol", "UDP"), ("Masquerade:PortForwards:1:PublicPort", "500"),
                ("Masquerade:PortForwards:1:Target", "10.0.0.2:4500"),
            ],
            o => Assert.Equal(
                [
                    new PortForward(IpProtocol.Tcp, 1723, Ipv4Address.Parse("10.0.0.3"), 1723),
                    new PortForward(IpProtocol.Udp, 500, Ipv4Address.Parse("10.0.0.2"), 4500),
                ],
                o.PortForwards)),
        ["ProtocolForwards"] = new(
            [
                ("Masquerade:ProtocolForwards:0:Protocol", "gre"), ("Masquerade:ProtocolForwards:0:Target", "10.0.0.3"),
                ("Masquerade:ProtocolForwards:1:Protocol", "50"), ("Masquerade:ProtocolForwards:1:Target", "10.0.0.2"),
            ],
            o => Assert.Equal(
                [new ProtocolForward(IpProtocol.Gre, Ipv4Address.Parse("10.0.0.3")), new ProtocolForward(IpProtocol.Esp, Ipv4Address.Parse("10.0.0.2"))],
                o.ProtocolForwards)),
        ["Rules"] = new(
            [("Masquerade:Rules:0", "-P forward DENY"), ("Masquerade:Rules:1", "-A forward -j MASQ -p 50 -s 10.0.0.2/32 -d 199.0.0.1/32 -i eth1")],
            o => Assert.Equal(["-P forward DENY", "-A forward -j MASQ -p 50 -s 10.0.0.2/32 -d 199.0.0.1/32 -i eth1"], o.Rules)),
        ["Node:InsideInterface"] = new([("Node:InsideInterface", "eth7")], o => Assert.Equal("eth7", o.InsideInterface)),
    };

    public static TheoryData<string, Source> EveryKeyFromEverySource()
    {
        var data = new TheoryData<string, Source>();
        foreach (string name in KeyCases.Keys)
        {
            foreach (var source in Enum.GetValues<Source>())
                data.Add(name, source);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKeyFromEverySource))]
    public void Key_FromSource_Binds(string name, Source source)
    {
        var keyCase = KeyCases[name];
        var options = MasqueradeOptionsBinder.Bind(ConfigurationSources.Build(source, keyCase.Pairs), FallbackPublic);
        keyCase.Check(options);
    }

    [Fact]
    public void DesignExample_BindsToTheValuesItStates()
    {
        // DESIGN §5.1, verbatim.
        var config = ConfigurationSources.FromJson("""
            {
              "Masquerade": {
                "Inside": ["10.0.0.0/8"],
                "PublicAddress": "200.200.200.200",
                "Esp":    { "TableLifetime": "00:30:00", "InitLifetime": "00:00:10", "InitRetries": 3, "ParallelSessions": false },
                "Isakmp": { "Lifetime": "00:30:00" },
                "PortForwards":     [ { "Protocol": "udp", "PublicPort": 500, "Target": "10.0.0.2:500" } ],
                "ProtocolForwards": [ { "Protocol": 50, "Target": "10.0.0.2" } ],
                "Rules": [ "-P forward DENY", "-A forward -j MASQ -s 10.0.0.0/8 -d 0.0.0.0/0" ]
              }
            }
            """);

        var binding = MasqueradeOptionsBinder.BindWithWarnings(config);
        var options = binding.Options;

        Assert.Equal([new Cidr(0x0A00_0000, 8)], options.Inside);
        Assert.Equal(0xC8C8_C8C8u, options.PublicAddress);
        Assert.False(options.PublicAddressAuto);
        Assert.Equal(new EspOptions { TableLifetime = TimeSpan.FromMinutes(30), InitLifetime = TimeSpan.FromSeconds(10), InitRetries = 3, ParallelSessions = false }, options.Esp);
        Assert.Equal(TimeSpan.FromMinutes(30), options.Isakmp.Lifetime);
        Assert.Equal([new PortForward(IpProtocol.Udp, 500, 0x0A00_0002, 500)], options.PortForwards);
        Assert.Equal([new ProtocolForward(IpProtocol.Esp, 0x0A00_0002)], options.ProtocolForwards);
        Assert.Equal(["-P forward DENY", "-A forward -j MASQ -s 10.0.0.0/8 -d 0.0.0.0/0"], options.Rules);
        Assert.Empty(binding.Warnings);
    }

    [Fact]
    public void NothingConfigured_WithFallbackAddress_IsTheDefaults()
    {
        var options = MasqueradeOptionsBinder.Bind(ConfigurationSources.Build(Source.CommandLine), FallbackPublic);

        Assert.Equal(new MasqueradeOptions().Inside, options.Inside);
        Assert.Equal(FallbackPublic, options.PublicAddress);
        Assert.Equal(new MasqueradeOptions().Esp, options.Esp);
        Assert.Equal(new MasqueradeOptions().Isakmp, options.Isakmp);
        Assert.Equal(new MasqueradeOptions().Ports, options.Ports);
        Assert.Equal(new MasqueradeOptions().Limits, options.Limits);
        Assert.Equal("eth0", options.InsideInterface);
        Assert.Empty(options.PortForwards);
        Assert.Empty(options.ProtocolForwards);
        Assert.Empty(options.Rules);
    }

    [Fact]
    public void PublicAddress_AbsentWithoutFallback_IsRequired()
    {
        var error = Assert.Throws<ConfigurationException>(() => MasqueradeOptionsBinder.Bind(ConfigurationSources.Build(Source.Json)));

        Assert.Equal("Masquerade:PublicAddress", error.Key);
        Assert.StartsWith("Masquerade:PublicAddress: required", error.Message);
    }

    [Fact]
    public void PublicAddress_Configured_WinsOverFallback()
    {
        var config = ConfigurationSources.Build(Source.Json, ("Masquerade:PublicAddress", "203.0.113.9"));

        Assert.Equal(Ipv4Address.Parse("203.0.113.9"), MasqueradeOptionsBinder.Bind(config, FallbackPublic).PublicAddress);
    }

    [Fact]
    public void Inside_SingleValueFromEnvironment_IsAOneEntryList()
    {
        var config = ConfigurationSources.Build(Source.Environment, ("Masquerade:Inside", "192.168.0.0/16"));

        Assert.Equal([Cidr.Parse("192.168.0.0/16")], MasqueradeOptionsBinder.Bind(config, FallbackPublic).Inside);
    }

    [Fact]
    public void Inside_WithHostBits_IsNormalizedToItsNetwork()
    {
        var config = ConfigurationSources.Build(Source.CommandLine, ("Masquerade:Inside:0", "10.1.2.3/8"));

        Assert.Equal([new Cidr(0x0A00_0000, 8)], MasqueradeOptionsBinder.Bind(config, FallbackPublic).Inside);
    }

    [Fact]
    public void IsakmpLifetime_ShorterThanEspTableLifetime_IsRaisedToIt_WithAWarning()
    {
        var config = ConfigurationSources.Build(
            Source.CommandLine, ("Masquerade:Isakmp:Lifetime", "00:10:00"), ("Masquerade:Esp:TableLifetime", "00:30:00"));

        var binding = MasqueradeOptionsBinder.BindWithWarnings(config, FallbackPublic);

        var warning = Assert.Single(binding.Warnings);
        Assert.Contains("Masquerade:Isakmp:Lifetime (00:10:00)", warning);
        Assert.Contains("Masquerade:Esp:TableLifetime (00:30:00)", warning);
        Assert.Equal(TimeSpan.FromMinutes(30), binding.Options.Isakmp.Lifetime); // DESIGN §3.2: at least the ESP table lifetime
    }

    [Fact]
    public void Routed_WithNoRules_Warns_ThatNothingFromOutsideReachesIt()
    {
        var config = ConfigurationSources.Build(Source.CommandLine, ("Masquerade:Routed:0", "10.0.0.9"));

        var warning = Assert.Single(MasqueradeOptionsBinder.BindWithWarnings(config, FallbackPublic).Warnings);

        Assert.Contains("Masquerade:Routed", warning);
        Assert.Contains("-A forward -j ACCEPT", warning);
    }

    [Fact]
    public void Routed_IsEmptyByDefault_SoNoInsideAddressIsReachableDirectly()
    {
        var options = MasqueradeOptionsBinder.Bind(ConfigurationSources.Build(Source.CommandLine), FallbackPublic);

        Assert.Empty(options.Routed);
    }

    [Fact]
    public void IsakmpLifetime_AtLeastEspTableLifetime_DoesNotWarn()
    {
        var config = ConfigurationSources.Build(
            Source.CommandLine, ("Masquerade:Isakmp:Lifetime", "00:30:00"), ("Masquerade:Esp:TableLifetime", "00:30:00"));

        Assert.Empty(MasqueradeOptionsBinder.BindWithWarnings(config, FallbackPublic).Warnings);
    }

    [Fact]
    public void PortForwards_SamePortOtherProtocol_AreBoth()
    {
        var config = ConfigurationSources.Build(
            Source.Json,
            ("Masquerade:PortForwards:0:Protocol", "udp"), ("Masquerade:PortForwards:0:PublicPort", "500"), ("Masquerade:PortForwards:0:Target", "10.0.0.2:500"),
            ("Masquerade:PortForwards:1:Protocol", "tcp"), ("Masquerade:PortForwards:1:PublicPort", "500"), ("Masquerade:PortForwards:1:Target", "10.0.0.3:500"));

        Assert.Equal(2, MasqueradeOptionsBinder.Bind(config, FallbackPublic).PortForwards.Count);
    }
}
