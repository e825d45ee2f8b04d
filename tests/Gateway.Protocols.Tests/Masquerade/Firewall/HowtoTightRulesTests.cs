using VpnMasq.Protocols.Masquerade.Firewall;
using static VpnMasq.Protocols.Masquerade.Firewall.FirewallAction;
using static VpnMasq.Protocols.Tests.Masquerade.Firewall.Packets;

namespace VpnMasq.Protocols.Tests.Masquerade.Firewall;

/// <summary>
/// HOWTO §3.5 and §3.6 "tight" sets: only VPN traffic between the client 10.0.0.2 and the server
/// 199.0.0.1 passes, masqueraded to the public address 200.200.200.200.
/// </summary>
public sealed class HowtoTightRulesTests
{
    private const string Client = "10.0.0.2";
    private const string Server = "199.0.0.1";
    private const string Public = "200.200.200.200";

    private static readonly Dictionary<string, FirewallRules> Sets = new()
    {
        ["ipchains ppp0"] = FirewallRules.Parse(HowtoFirewallExamples.IpchainsTightPpp0),
        ["ipchains eth1"] = FirewallRules.Parse(HowtoFirewallExamples.IpchainsTightEth1),
        ["ipfwadm eth1"] = FirewallRules.Parse(HowtoFirewallExamples.IpfwadmTightEth1),
        ["ipfwadm ppp0 (completed)"] = FirewallRules.Parse(HowtoFirewallExamples.IpfwadmTightPpp0Completed),
    };

    /// <summary>One VPN flow as the four firewall checks see it: outbound before and after masquerade, inbound before and after.</summary>
    private static readonly Dictionary<string, PacketSummary[]> VpnFlows = new()
    {
        ["ISAKMP udp 500<->500"] =
        [
            UdpPacket(Client, 500, Server, 500), UdpPacket(Public, 500, Server, 500),
            UdpPacket(Server, 500, Public, 500), UdpPacket(Server, 500, Client, 500),
        ],
        ["ESP proto 50"] =
        [
            IpPacket(50, Client, Server), IpPacket(50, Public, Server),
            IpPacket(50, Server, Public), IpPacket(50, Server, Client),
        ],
        ["PPTP control tcp 1723"] =
        [
            TcpPacket(Client, 1025, Server, 1723), TcpPacket(Public, 61000, Server, 1723),
            TcpPacket(Server, 1723, Public, 61000), TcpPacket(Server, 1723, Client, 1025),
        ],
        ["GRE proto 47"] =
        [
            IpPacket(47, Client, Server), IpPacket(47, Public, Server),
            IpPacket(47, Server, Public), IpPacket(47, Server, Client),
        ],
    };

    public static TheoryData<string, string> SetsAndVpnFlows()
    {
        var data = new TheoryData<string, string>();
        foreach (var set in Sets.Keys)
        {
            foreach (var flow in VpnFlows.Keys)
                data.Add(set, flow);
        }

        return data;
    }

    public static TheoryData<string> SetNames() => [.. Sets.Keys];

    [Theory]
    [MemberData(nameof(SetsAndVpnFlows))]
    public void HowtoTightSet_VpnTraffic_IsMasqueradedOutAndAcceptedBackIn(string set, string flow)
    {
        var rules = Sets[set];
        var p = VpnFlows[flow];

        var decisions = (
            rules.CheckOutboundBeforeMasquerade(p[0]).Action,
            rules.CheckOutboundAfterMasquerade(p[1]).Action,
            rules.CheckInboundBeforeDemasquerade(p[2]).Action,
            rules.CheckInboundAfterDemasquerade(p[3]).Action);

        Assert.Equal((Masq, Accept, Accept, Accept), decisions);
    }

    [Theory]
    [MemberData(nameof(SetNames))]
    public void HowtoTightSet_WebTrafficFromTheVpnClient_IsDenied(string set)
    {
        var rules = Sets[set];

        var toServer = rules.CheckOutboundBeforeMasquerade(TcpPacket(Client, 1025, Server, 80)).Action;
        var toElsewhere = rules.CheckOutboundBeforeMasquerade(TcpPacket(Client, 1025, "93.184.216.34", 80)).Action;

        Assert.Equal((Deny, Deny), (toServer, toElsewhere));
    }

    [Theory]
    [MemberData(nameof(SetNames))]
    public void HowtoTightSet_VpnTrafficFromAnotherInsideHost_IsDenied(string set)
    {
        var rules = Sets[set];

        var decisions = (
            rules.CheckOutboundBeforeMasquerade(UdpPacket("10.0.0.3", 500, Server, 500)).Action,
            rules.CheckOutboundBeforeMasquerade(IpPacket(50, "10.0.0.3", Server)).Action,
            rules.CheckOutboundBeforeMasquerade(TcpPacket("10.0.0.3", 1025, Server, 1723)).Action);

        Assert.Equal((Deny, Deny, Deny), decisions);
    }

    [Theory]
    [MemberData(nameof(SetNames))]
    public void HowtoTightSet_Dns_IsDeniedBothWays(string set)
    {
        var rules = Sets[set];

        var decisions = (
            rules.CheckOutboundBeforeMasquerade(UdpPacket(Client, 1053, Server, 53)).Action,
            rules.CheckOutboundBeforeMasquerade(UdpPacket(Client, 1053, "8.8.8.8", 53)).Action,
            rules.CheckInboundBeforeDemasquerade(UdpPacket(Server, 53, Public, 1053)).Action);

        Assert.Equal((Deny, Deny, Deny), decisions);
    }

    [Theory]
    [MemberData(nameof(SetNames))]
    public void HowtoTightSet_InboundFromOtherThanTheVpnServer_IsDenied(string set)
    {
        var rules = Sets[set];

        var decisions = (
            rules.CheckInboundBeforeDemasquerade(UdpPacket("199.0.0.9", 500, Public, 500)).Action,
            rules.CheckInboundBeforeDemasquerade(IpPacket(50, "199.0.0.9", Public)).Action,
            rules.CheckInboundBeforeDemasquerade(TcpPacket(Server, 80, Public, 61000)).Action);

        Assert.Equal((Deny, Deny, Deny), decisions);
    }

    [Fact]
    public void HowtoTightIpchains_IcmpToTheVpnServer_IsDenied()
    {
        var rules = Sets["ipchains eth1"];

        Assert.Equal(Deny, rules.CheckOutboundBeforeMasquerade(IcmpPacket(Client, Server, 8)).Action);
    }

    [Fact]
    public void HowtoTightIpfwadm_AllProtocolsRule_AlsoMasqueradesIcmpToTheVpnServer()
    {
        // §3.5 / §3.9: ipfwadm cannot say "-P 47" or "-P 50", so the HOWTO accepts "-P all" after denying tcp and udp.
        var rules = Sets["ipfwadm eth1"];

        Assert.Equal(Masq, rules.CheckOutboundBeforeMasquerade(IcmpPacket(Client, Server, 8)).Action);
    }

    [Fact]
    public void HowtoTightIpfwadmPpp0_AsPrinted_DropsMasqueradedIsakmpAtOutput()
    {
        // The seed prints no "-O ... -W ppp0" rules, so the output policy (deny) drops what forward masqueraded.
        var rules = FirewallRules.Parse(HowtoFirewallExamples.IpfwadmTightPpp0AsPrinted);

        var decisions = (
            rules.CheckOutboundBeforeMasquerade(UdpPacket(Client, 500, Server, 500)).Action,
            rules.CheckOutboundAfterMasquerade(UdpPacket(Public, 500, Server, 500)).Action);

        Assert.Equal((Masq, Deny), decisions);
    }

    [Fact]
    public void HowtoTightIpfwadmPpp0_AsPrinted_RefusesInboundIsakmpButAcceptsPptpControl()
    {
        var rules = FirewallRules.Parse(HowtoFirewallExamples.IpfwadmTightPpp0AsPrinted);

        var decisions = (
            rules.CheckInboundBeforeDemasquerade(UdpPacket(Server, 500, Public, 500)).Action,
            rules.CheckInboundBeforeDemasquerade(TcpPacket(Server, 1723, Public, 61000)).Action);

        Assert.Equal((Deny, Accept), decisions);
    }

    [Fact]
    public void HowtoTightIpchains_DenyingRule_IsThePolicy()
    {
        var rules = Sets["ipchains ppp0"];

        var decision = rules.CheckOutboundBeforeMasquerade(TcpPacket(Client, 1025, Server, 80));

        Assert.Equal(new FirewallDecision(Deny, FirewallChain.Forward, 0), decision);
    }

    [Fact]
    public void HowtoTightIpfwadm_DenyingRule_IsTheTcpDenyRule()
    {
        var rules = Sets["ipfwadm eth1"];

        var decision = rules.CheckOutboundBeforeMasquerade(TcpPacket(Client, 1025, Server, 80));

        Assert.Equal(new FirewallDecision(Deny, FirewallChain.Forward, 3), decision);
    }
}
