using VpnMasq.Protocols.Masquerade.Firewall;
using static VpnMasq.Protocols.Masquerade.Firewall.FirewallAction;
using static VpnMasq.Protocols.Tests.Masquerade.Firewall.Packets;

namespace VpnMasq.Protocols.Tests.Masquerade.Firewall;

/// <summary>What one rule matches: interface side, ports and ranges, negation, protocol numbers, ICMP types.</summary>
public sealed class FirewallRuleMatchingTests
{
    private static readonly PacketSummary Web = TcpPacket("10.0.0.5", 40000, "93.184.216.34", 80);

    [Theory]
    [InlineData("eth0", true, false)]
    [InlineData("eth1", false, true)]
    [InlineData("ppp0", false, true)]
    [InlineData("ppp+", false, true)]
    [InlineData("eth+", true, true)]
    public void RuleInterface_MatchesTheSideItNames(string name, bool inside, bool outside)
    {
        var rules = FirewallRules.Parse([$"-A input -j DENY -i {name}"]);

        var denied = (
            rules.Evaluate(FirewallChain.Input, InterfaceSide.Inside, Web) == Deny,
            rules.Evaluate(FirewallChain.Input, InterfaceSide.Outside, Web) == Deny);

        Assert.Equal((inside, outside), denied);
    }

    [Fact]
    public void RuleWithoutInterface_MatchesBothSides()
    {
        var rules = FirewallRules.Parse(["-A input -j DENY"]);

        var denied = (
            rules.Evaluate(FirewallChain.Input, InterfaceSide.Inside, Web),
            rules.Evaluate(FirewallChain.Input, InterfaceSide.Outside, Web));

        Assert.Equal((Deny, Deny), denied);
    }

    [Fact]
    public void ConfiguredInsideInterface_IsTheInsideAndEth0BecomesOutside()
    {
        var rules = FirewallRules.Parse(["-A input -j DENY -i lan0", "-A input -j REJECT -i eth0"], insideInterface: "lan0");

        var decisions = (
            rules.Evaluate(FirewallChain.Input, InterfaceSide.Inside, Web),
            rules.Evaluate(FirewallChain.Input, InterfaceSide.Outside, Web));

        Assert.Equal((Deny, Reject), decisions);
    }

    [Theory]
    [InlineData("1024:65535", 1023, false)]
    [InlineData("1024:65535", 1024, true)]
    [InlineData("1024:65535", 65535, true)]
    [InlineData(":1023", 0, true)]
    [InlineData(":1023", 1024, false)]
    [InlineData("1024:", 65535, true)]
    [InlineData("1024:", 80, false)]
    [InlineData("80", 80, true)]
    [InlineData("! 80", 80, false)]
    [InlineData("! 80", 443, true)]
    [InlineData("! 6000:6010", 6005, false)]
    public void IpchainsPortRange_MatchesPortsInIt(string ports, int port, bool matches)
    {
        var rules = FirewallRules.Parse([$"-A forward -j MASQ -p tcp -s 10.0.0.0/8 {ports}"]);

        var action = rules.Evaluate(FirewallChain.Forward, InterfaceSide.Outside, Web with { SourcePort = (ushort)port });

        Assert.Equal(matches ? Masq : Deny, action);
    }

    [Theory]
    [InlineData(80, true)]
    [InlineData(443, true)]
    [InlineData(8042, true)]
    [InlineData(8081, false)]
    [InlineData(25, false)]
    public void IpfwadmPortList_MatchesAnyPortInIt(int port, bool matches)
    {
        var rules = FirewallRules.Parse(["ipfwadm -F -a accept -m -P tcp -S 10.0.0.0/8 -D 0.0.0.0/0 80 443 8000:8080"]);

        var action = rules.Evaluate(FirewallChain.Forward, InterfaceSide.Outside, Web with { DestinationPort = (ushort)port });

        Assert.Equal(matches ? Masq : Deny, action);
    }

    [Theory]
    [InlineData("-s ! 10.0.0.0/8", "10.0.0.5", false)]
    [InlineData("-s ! 10.0.0.0/8", "192.168.1.5", true)]
    [InlineData("-s !10.0.0.0/8", "192.168.1.5", true)]
    [InlineData("--source ! 10.0.0.0/255.0.0.0", "10.9.9.9", false)]
    public void NegatedAddress_MatchesAddressesOutsideIt(string source, string address, bool matches)
    {
        var rules = FirewallRules.Parse([$"-A forward -j REJECT {source}"]);
        var packet = TcpPacket(address, 40000, "93.184.216.34", 80);

        Assert.Equal(matches ? Reject : Deny, rules.Evaluate(FirewallChain.Forward, InterfaceSide.Outside, packet));
    }

    [Theory]
    [InlineData(50, true)]
    [InlineData(47, false)]
    [InlineData(6, false)]
    public void ProtocolNumberRule_MatchesOnlyThatProtocol(int protocol, bool matches)
    {
        var rules = FirewallRules.Parse(["-A forward -j MASQ -p 50"]);

        var action = rules.Evaluate(FirewallChain.Forward, InterfaceSide.Outside, IpPacket((byte)protocol, "10.0.0.2", "199.0.0.1"));

        Assert.Equal(matches ? Masq : Deny, action);
    }

    [Fact]
    public void TcpPortRule_DoesNotMatchUdpOnTheSamePort()
    {
        var rules = FirewallRules.Parse(["-A forward -j MASQ -p tcp -d 0/0 53"]);

        var action = rules.Evaluate(FirewallChain.Forward, InterfaceSide.Outside, UdpPacket("10.0.0.5", 1053, "8.8.8.8", 53));

        Assert.Equal(Deny, action);
    }

    [Theory]
    [InlineData("echo-request", 8, true)]
    [InlineData("echo-request", 0, false)]
    [InlineData("3", 3, true)]
    [InlineData("0:8", 11, false)]
    [InlineData("--icmp-type time-exceeded", 11, true)]
    public void IcmpRule_SourcePortIsTheIcmpType(string type, int icmpType, bool matches)
    {
        var rules = FirewallRules.Parse([$"-A forward -j MASQ -p icmp -s 0/0 {type}"]);

        var action = rules.Evaluate(FirewallChain.Forward, InterfaceSide.Outside, IcmpPacket("10.0.0.5", "1.1.1.1", (byte)icmpType));

        Assert.Equal(matches ? Masq : Deny, action);
    }
}
