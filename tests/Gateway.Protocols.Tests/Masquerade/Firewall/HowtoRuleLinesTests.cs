using VpnMasq.Protocols.Masquerade.Firewall;
using static VpnMasq.Protocols.Masquerade.Firewall.FirewallAction;
using static VpnMasq.Protocols.Tests.Masquerade.Firewall.Packets;

namespace VpnMasq.Protocols.Tests.Masquerade.Firewall;

/// <summary>Every ipchains and ipfwadm line the HOWTO prints is read (as normalised in <see cref="HowtoFirewallExamples"/>).</summary>
public sealed class HowtoRuleLinesTests
{
    private static readonly string[][] AllSets =
    [
        HowtoFirewallExamples.IpfwadmOpenPpp0,
        HowtoFirewallExamples.IpfwadmOpenEth1,
        HowtoFirewallExamples.IpfwadmTightPpp0AsPrinted,
        HowtoFirewallExamples.IpfwadmTightPpp0Completed,
        HowtoFirewallExamples.IpfwadmTightEth1,
        HowtoFirewallExamples.IpchainsOpenPpp0,
        HowtoFirewallExamples.IpchainsOpenEth1,
        HowtoFirewallExamples.IpchainsTightPpp0,
        HowtoFirewallExamples.IpchainsTightEth1,
        HowtoFirewallExamples.IpchainsEth1LinesWithoutInterface,
        HowtoFirewallExamples.IpfwadmRegisteredServer,
        HowtoFirewallExamples.IpfwadmRegisteredClient,
    ];

    public static TheoryData<string> EveryHowtoRuleLine() =>
        [.. AllSets.SelectMany(set => set).Where(line => !line.StartsWith('#')).Distinct()];

    [Theory]
    [MemberData(nameof(EveryHowtoRuleLine))]
    public void HowtoRuleLine_Parses(string line)
    {
        bool parsed = FirewallRules.TryParse([line], "eth0", out _, out var error);

        Assert.True(parsed, error);
    }

    [Theory]
    [MemberData(nameof(EveryHowtoRuleLine))]
    public void HowtoRuleLine_WithoutTheProgramName_ReadsTheSame(string line)
    {
        var with = FirewallRules.Parse([line]);
        var without = FirewallRules.Parse([line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]]);

        Assert.Equal(Describe(with), Describe(without));
    }

    [Fact]
    public void HowtoTightIpchainsEth1_AllRulesAndPoliciesAreRead()
    {
        var rules = FirewallRules.Parse(HowtoFirewallExamples.IpchainsTightEth1);

        var shape = (rules.InputPolicy, rules.ForwardPolicy, rules.OutputPolicy,
            rules.RulesOf(FirewallChain.Input).Count(), rules.RulesOf(FirewallChain.Forward).Count(), rules.RulesOf(FirewallChain.Output).Count());

        Assert.Equal((Deny, Deny, Deny, 5, 4, 5), shape);
    }

    [Fact]
    public void HowtoIpchains_MasqRuleWithProtocolNumber_ReadsAsWritten()
    {
        var rule = Assert.Single(FirewallRules.Parse(["ipchains -A forward -j MASQ -p 50 -s 10.0.0.2/32 -d 199.0.0.1/32 -i eth1"]).Rules);

        Assert.Equal(
            (FirewallChain.Forward, Masq, (byte?)50, "10.0.0.2/32", "199.0.0.1/32", "eth1"),
            (rule.Chain, rule.Action, rule.Protocol, rule.Source.ToString(), rule.Destination.ToString(), rule.Interface));
    }

    [Fact]
    public void HowtoEchoedLine649_IsRejectedNamingTheGarbledAddress()
    {
        bool parsed = FirewallRules.TryParse([HowtoFirewallExamples.EchoedLine649], "eth0", out _, out var error);

        Assert.False(parsed);
        Assert.Contains("'100.00.2/32'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void HowtoRegisteredIpServer_InputAcceptsOnlyTheListedClients()
    {
        var rules = FirewallRules.Parse(HowtoFirewallExamples.IpfwadmRegisteredServer);
        FirewallAction In(PacketSummary p) => rules.Evaluate(FirewallChain.Input, InterfaceSide.Outside, p);

        var decisions = (
            In(UdpPacket("199.0.0.2", 500, "222.0.0.2", 500)),
            In(TcpPacket("199.0.0.3", 1025, "222.0.0.2", 1723)),
            In(IpPacket(50, "199.0.0.2", "222.0.0.2")),
            In(TcpPacket("199.0.0.9", 1025, "222.0.0.2", 1723)),
            In(IpPacket(47, "199.0.0.9", "222.0.0.2")));

        Assert.Equal((Accept, Accept, Accept, Deny, Deny), decisions);
    }

    [Fact]
    public void HowtoRegisteredIpClient_InputAcceptsOnlyTheVpnServer()
    {
        var rules = FirewallRules.Parse(HowtoFirewallExamples.IpfwadmRegisteredClient);
        FirewallAction In(PacketSummary p) => rules.Evaluate(FirewallChain.Input, InterfaceSide.Outside, p);

        var decisions = (
            In(UdpPacket("199.0.0.1", 500, "222.0.0.2", 500)),
            In(TcpPacket("199.0.0.1", 1723, "222.0.0.2", 1025)),
            In(IpPacket(47, "199.0.0.1", "222.0.0.2")),
            In(UdpPacket("199.0.0.1", 53, "222.0.0.2", 1053)),
            In(IpPacket(50, "199.0.0.7", "222.0.0.2")));

        Assert.Equal((Accept, Accept, Accept, Deny, Deny), decisions);
    }

    [Fact]
    public void HowtoRegisteredIp_InterfaceAddress_IsKeptButNotMatched()
    {
        var rule = FirewallRules.Parse(HowtoFirewallExamples.IpfwadmRegisteredClient).Rules[^1];

        Assert.Equal((0xC8C8C8C8u, "eth1"), (rule.InterfaceAddress, rule.Interface));
    }

    private static string Describe(FirewallRules rules) =>
        $"{rules.InputPolicy}/{rules.ForwardPolicy}/{rules.OutputPolicy}: " + string.Join(" | ", rules.Rules.Select(r =>
            $"{r.Chain} {r.Action} {r.Protocol} {r.Source} {r.SourcePorts} {r.Destination} {r.DestinationPorts} {r.Interface} {r.InterfaceAddress}"));
}
