using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Firewall;
using static VpnMasq.Protocols.Masquerade.Firewall.FirewallAction;

namespace VpnMasq.Protocols.Tests.Masquerade.Firewall;

public sealed class FirewallRulesParseTests
{
    [Fact]
    public void NoRules_MeansMasqueradeEverything()
    {
        var rules = FirewallRules.Parse([], "lan0");

        Assert.Same(FirewallRules.MasqueradeEverything, rules);
    }

    [Fact]
    public void OnlyCommentsAndBlankLines_MeanMasqueradeEverything()
    {
        var rules = FirewallRules.Parse(["# nothing to see", "", "   "]);

        Assert.Same(FirewallRules.MasqueradeEverything, rules);
    }

    [Fact]
    public void MasqueradeEverything_HasForwardPolicyMasqAndOpenInputOutput()
    {
        var rules = FirewallRules.MasqueradeEverything;

        Assert.Equal((Accept, Masq, Accept, 0), (rules.InputPolicy, rules.ForwardPolicy, rules.OutputPolicy, rules.Rules.Length));
    }

    [Fact]
    public void PoliciesNotSet_AreForwardDenyInputAcceptOutputAccept()
    {
        var rules = FirewallRules.Parse(["-A forward -j MASQ -s 10.0.0.0/8"]);

        Assert.Equal((Accept, Deny, Accept), (rules.InputPolicy, rules.ForwardPolicy, rules.OutputPolicy));
    }

    [Fact]
    public void LaterPolicy_ReplacesEarlierOne()
    {
        var rules = FirewallRules.Parse(["-P forward DENY", "ipfwadm -F -p masquerade"]);

        Assert.Equal(Masq, rules.ForwardPolicy);
    }

    [Fact]
    public void IpchainsLongOptions_ReadLikeShortOnes()
    {
        var longForm = Assert.Single(FirewallRules.Parse([
            "ipchains --append forward --jump MASQ --protocol tcp --source 10.0.0.0/8 --source-port 1024:65535 " +
            "--destination=199.0.0.1 --dport 1723 --interface eth1"]).Rules);

        Assert.Equal(
            (Masq, (byte?)IpProtocol.Tcp, "10.0.0.0/8", "1024:65535", "199.0.0.1/32", "1723", "eth1"),
            (longForm.Action, longForm.Protocol, longForm.Source.ToString(), longForm.SourcePorts.ToString(),
                longForm.Destination.ToString(), longForm.DestinationPorts.ToString(), longForm.Interface));
    }

    [Fact]
    public void ChainNamesAndTargets_AreCaseInsensitive()
    {
        var rules = FirewallRules.Parse(["-P FORWARD masq", "-A Input -j reject -p UDP"]);

        Assert.Equal((Masq, FirewallChain.Input, Reject), (rules.ForwardPolicy, rules.Rules[0].Chain, rules.Rules[0].Action));
    }

    [Fact]
    public void NetmaskForm_IsReadAsPrefix()
    {
        var rule = Assert.Single(FirewallRules.Parse(["-A input -j DENY -s 192.168.0.0/255.255.0.0"]).Rules);

        Assert.Equal("192.168.0.0/16", rule.Source.ToString());
    }

    [Fact]
    public void IpchainsZeroSlashZero_IsAnyAddress()
    {
        var rule = Assert.Single(FirewallRules.Parse(["-A forward -j MASQ -s 10.0.0.0/8 -d 0/0"]).Rules);

        Assert.Equal(Cidr.Any, rule.Destination.Network);
    }

    [Fact]
    public void IpfwadmSeveralPortsAfterAnAddress_AreAllKept()
    {
        var rule = Assert.Single(FirewallRules.Parse(["ipfwadm -F -a accept -m -P tcp -S 10.0.0.0/8 -D 0.0.0.0/0 80 443 8000:8080"]).Rules);

        Assert.Equal("80,443,8000:8080", rule.DestinationPorts.ToString());
    }

    [Fact]
    public void IpfwadmMasqueradePolicyWord_IsTheSameAsAcceptWithM()
    {
        var rules = FirewallRules.Parse(["ipfwadm -F -a masquerade -S 10.0.0.0/8", "ipfwadm -F -a accept -m -S 10.0.0.0/8"]);

        Assert.Equal((Masq, Masq), (rules.Rules[0].Action, rules.Rules[1].Action));
    }

    [Fact]
    public void IpfwadmOptions_MayComeInAnyOrder()
    {
        var rule = Assert.Single(FirewallRules.Parse(["-a deny -P udp -W ppp0 -I -S 199.0.0.1"]).Rules);

        Assert.Equal((FirewallChain.Input, Deny, (byte?)IpProtocol.Udp, "ppp0"), (rule.Chain, rule.Action, rule.Protocol, rule.Interface));
    }

    [Theory]
    [InlineData("all", null)]
    [InlineData("0", null)]
    [InlineData("tcp", IpProtocol.Tcp)]
    [InlineData("udp", IpProtocol.Udp)]
    [InlineData("icmp", IpProtocol.Icmp)]
    [InlineData("47", IpProtocol.Gre)]
    [InlineData("50", IpProtocol.Esp)]
    [InlineData("gre", IpProtocol.Gre)]
    [InlineData("esp", IpProtocol.Esp)]
    public void Protocol_NameOrNumber_IsRead(string word, byte? protocol)
    {
        var rule = Assert.Single(FirewallRules.Parse([$"-A forward -j MASQ -p {word}"]).Rules);

        Assert.Equal(protocol, rule.Protocol);
    }

    [Fact]
    public void IpfwadmProtocolNumber_IsAcceptedBeyondIpfwadm()
    {
        var rule = Assert.Single(FirewallRules.Parse(["ipfwadm -F -a accept -m -P 50 -S 10.0.0.2"]).Rules);

        Assert.Equal((byte?)IpProtocol.Esp, rule.Protocol);
    }

    [Fact]
    public void TrailingComment_IsIgnored()
    {
        var rule = Assert.Single(FirewallRules.Parse(["-A forward -j MASQ -s 10.0.0.0/8 # the LAN"]).Rules);

        Assert.Equal("-A forward -j MASQ -s 10.0.0.0/8", rule.Text);
    }

    [Fact]
    public void ProgramNameWithPath_IsAccepted()
    {
        var rules = FirewallRules.Parse(["/sbin/ipchains -P forward MASQ", "/sbin/ipfwadm -I -p deny"]);

        Assert.Equal((Deny, Masq), (rules.InputPolicy, rules.ForwardPolicy));
    }
}
