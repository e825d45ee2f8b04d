using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Firewall;
using static VpnMasq.Protocols.Masquerade.Firewall.FirewallAction;
using static VpnMasq.Protocols.Tests.Masquerade.Firewall.Packets;

namespace VpnMasq.Protocols.Tests.Masquerade.Firewall;

public sealed class FirewallRulesEvaluateTests
{
    private static readonly PacketSummary Web = TcpPacket("10.0.0.5", 40000, "93.184.216.34", 80);

    [Fact]
    public void DesignExample_MasqueradesTheLanAndDeniesOtherSources()
    {
        var rules = FirewallRules.Parse(["-P forward DENY", "-A forward -j MASQ -s 10.0.0.0/8 -d 0.0.0.0/0"]);

        var decisions = (
            rules.CheckOutboundBeforeMasquerade(Web).Action,
            rules.CheckOutboundBeforeMasquerade(Web with { Source = 0xC0A80105 }).Action); // 192.168.1.5

        Assert.Equal((Masq, Deny), decisions);
    }

    [Fact]
    public void DesignExample_LeavesInputAndOutputOpen()
    {
        var rules = FirewallRules.Parse(["-P forward DENY", "-A forward -j MASQ -s 10.0.0.0/8 -d 0.0.0.0/0"]);

        var decisions = (
            rules.CheckOutboundAfterMasquerade(Web with { Source = 0xC8C8C8C8 }).Action,
            rules.CheckInboundBeforeDemasquerade(TcpPacket("93.184.216.34", 80, "200.200.200.200", 40000)).Action,
            rules.CheckInboundAfterDemasquerade(TcpPacket("93.184.216.34", 80, "10.0.0.5", 40000)).Action);

        Assert.Equal((Accept, Accept, Accept), decisions);
    }

    [Fact]
    public void MasqueradeEverything_MasqueradesAnyOutboundPacket()
    {
        var rules = FirewallRules.MasqueradeEverything;

        Assert.Equal(new FirewallDecision(Masq, FirewallChain.Forward, 0), rules.CheckOutboundBeforeMasquerade(Web));
    }

    [Fact]
    public void FirstMatchingRule_Wins()
    {
        var rules = FirewallRules.Parse([
            "-A forward -j DENY -p udp",
            "-A forward -j REJECT -p tcp -d 0/0 80",
            "-A forward -j MASQ -p tcp"]);

        Assert.Equal(new FirewallDecision(Reject, FirewallChain.Forward, 2), rules.Decide(FirewallChain.Forward, InterfaceSide.Outside, Web));
    }

    [Fact]
    public void NoMatchingRule_ThePolicyDecides()
    {
        var rules = FirewallRules.Parse(["-P forward REJECT", "-A forward -j MASQ -p udp"]);

        Assert.Equal(new FirewallDecision(Reject, FirewallChain.Forward, 0), rules.Decide(FirewallChain.Forward, InterfaceSide.Outside, Web));
    }

    [Fact]
    public void Reject_IsCountedAsRuleReject_AndDenyAsRuleDeny()
    {
        var rules = FirewallRules.Parse(["-A forward -j REJECT -p tcp", "-A forward -j DENY -p udp"]);

        var reasons = (
            rules.CheckOutboundBeforeMasquerade(Web).DropReason,
            rules.CheckOutboundBeforeMasquerade(UdpPacket("10.0.0.5", 1053, "8.8.8.8", 53)).DropReason);

        Assert.Equal((DropReason.RuleReject, DropReason.RuleDeny), reasons);
    }

    [Fact]
    public void OutboundDeniedByInput_NeverReachesForward()
    {
        var rules = FirewallRules.Parse(["-A input -j DENY -s 10.0.0.5 -i eth0", "-P forward MASQ"]);

        Assert.Equal(new FirewallDecision(Deny, FirewallChain.Input, 1), rules.CheckOutboundBeforeMasquerade(Web));
    }

    [Fact]
    public void Inbound_DoesNotCrossTheForwardChain()
    {
        var rules = FirewallRules.Parse(["-P forward DENY"]);

        var decisions = (
            rules.CheckInboundBeforeDemasquerade(TcpPacket("93.184.216.34", 80, "200.200.200.200", 40000)).Chain,
            rules.CheckInboundAfterDemasquerade(TcpPacket("93.184.216.34", 80, "10.0.0.5", 40000)).Chain);

        Assert.Equal((FirewallChain.Input, FirewallChain.Output), decisions);
    }

    [Fact]
    public void Evaluate_DoesNotAllocate()
    {
        var rules = FirewallRules.Parse(HowtoFirewallExamples.IpfwadmTightEth1);
        var packet = UdpPacket("10.0.0.2", 500, "199.0.0.1", 500);
        rules.CheckOutboundBeforeMasquerade(packet);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            rules.CheckOutboundBeforeMasquerade(packet);
            rules.CheckInboundBeforeDemasquerade(packet);
            rules.Evaluate(FirewallChain.Output, InterfaceSide.Outside, packet);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
