using VpnMasq.Protocols.Masquerade.Firewall;
using static VpnMasq.Protocols.Masquerade.Firewall.FirewallAction;
using static VpnMasq.Protocols.Tests.Masquerade.Firewall.Packets;

namespace VpnMasq.Protocols.Tests.Masquerade.Firewall;

/// <summary>HOWTO §3.5 and §3.6 "minimum" sets: "a completely open setup" that masquerades any inside traffic.</summary>
public sealed class HowtoOpenRulesTests
{
    private static readonly Dictionary<string, FirewallRules> Sets = new()
    {
        ["ipfwadm ppp0"] = FirewallRules.Parse(HowtoFirewallExamples.IpfwadmOpenPpp0),
        ["ipfwadm eth1"] = FirewallRules.Parse(HowtoFirewallExamples.IpfwadmOpenEth1),
        ["ipchains ppp0"] = FirewallRules.Parse(HowtoFirewallExamples.IpchainsOpenPpp0),
        ["ipchains eth1"] = FirewallRules.Parse(HowtoFirewallExamples.IpchainsOpenEth1),
    };

    private static readonly Dictionary<string, PacketSummary> InsideTraffic = new()
    {
        ["web"] = TcpPacket("10.1.2.3", 40000, "93.184.216.34", 80),
        ["dns"] = UdpPacket("10.0.0.3", 1053, "8.8.8.8", 53),
        ["ping"] = IcmpPacket("10.200.0.1", "1.1.1.1", 8),
        ["esp"] = IpPacket(50, "10.0.0.2", "199.0.0.1"),
        ["gre"] = IpPacket(47, "10.0.0.2", "199.0.0.1"),
    };

    public static TheoryData<string, string> SetsAndTraffic()
    {
        var data = new TheoryData<string, string>();
        foreach (var set in Sets.Keys)
        {
            foreach (var traffic in InsideTraffic.Keys)
                data.Add(set, traffic);
        }

        return data;
    }

    public static TheoryData<string> SetNames() => [.. Sets.Keys];

    [Theory]
    [MemberData(nameof(SetsAndTraffic))]
    public void HowtoOpenSet_AnyInsideTraffic_IsMasqueradedAndLeaves(string set, string traffic)
    {
        var rules = Sets[set];
        var packet = InsideTraffic[traffic];
        var masqueraded = packet with { Source = 0xC8C8C8C8 }; // 200.200.200.200

        var decisions = (
            rules.CheckOutboundBeforeMasquerade(packet).Action,
            rules.CheckOutboundAfterMasquerade(masqueraded).Action);

        Assert.Equal((Masq, Accept), decisions);
    }

    [Theory]
    [MemberData(nameof(SetNames))]
    public void HowtoOpenSet_Replies_AreAcceptedBackIn(string set)
    {
        var rules = Sets[set];

        var decisions = (
            rules.CheckInboundBeforeDemasquerade(TcpPacket("93.184.216.34", 80, "200.200.200.200", 40000)).Action,
            rules.CheckInboundAfterDemasquerade(TcpPacket("93.184.216.34", 80, "10.1.2.3", 40000)).Action);

        Assert.Equal((Accept, Accept), decisions);
    }

    [Theory]
    [MemberData(nameof(SetNames))]
    public void HowtoOpenSet_TrafficFromOutsideTheLocalNetwork_IsNotForwarded(string set)
    {
        var rules = Sets[set];

        Assert.Equal(Deny, rules.CheckOutboundBeforeMasquerade(TcpPacket("192.168.1.5", 40000, "93.184.216.34", 80)).Action);
    }
}
