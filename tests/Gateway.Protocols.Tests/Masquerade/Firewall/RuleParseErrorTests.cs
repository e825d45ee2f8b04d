using VpnMasq.Protocols.Masquerade.Firewall;

namespace VpnMasq.Protocols.Tests.Masquerade.Firewall;

/// <summary>A line the firewall cannot read is refused with its number and the offending token.</summary>
public sealed class RuleParseErrorTests
{
    [Theory]
    [InlineData("-A forward -j MASQ -x", "-x", "unknown or unsupported option")]
    [InlineData("-A forward -j MASQ -s 10.0.0.0/33", "10.0.0.0/33", "bad address")]
    [InlineData("-A forward -j MASQ -s 10.0.0/8", "10.0.0/8", "bad address")]
    [InlineData("-A forward -j REDIRECT", "REDIRECT", "unknown or unsupported target")]
    [InlineData("-A forward -j MASQUERADE -s 10.0.0.0/8", "MASQUERADE", "unknown or unsupported target")]
    [InlineData("-A forward -j MASQ -s", "-s", "missing an address after -s")]
    [InlineData("-A forward -j MASQ -s -d 1.2.3.4", "-s", "missing an address after -s")]
    [InlineData("-A forward -j", "-j", "missing a target after -j")]
    [InlineData("-A forward -s 10.0.0.0/8", "forward", "rule has no target")]
    [InlineData("-A forward -j MASQ -j DENY", "DENY", "target given twice")]
    [InlineData("-A forward -j MASQ -s 1.2.3.4 -s 5.6.7.8", "-s", "source given twice")]
    [InlineData("-A forwrd -j MASQ", "forwrd", "unknown chain")]
    [InlineData("-A", "-A", "missing a chain name after -A")]
    [InlineData("-P forward", "-P", "missing a policy after -P")]
    [InlineData("-P forward ALLOW", "ALLOW", "unknown policy")]
    [InlineData("-P input MASQ", "MASQ", "MASQ is only a valid policy for the forward chain")]
    [InlineData("-P forward DENY now", "now", "unexpected word after the policy")]
    [InlineData("-A input -j MASQ", "MASQ", "masquerade is only valid in the forward chain")]
    [InlineData("-A forward -j MASQ -p xyz", "xyz", "unknown protocol")]
    [InlineData("-A forward -j MASQ -p 256", "256", "unknown protocol")]
    [InlineData("-A forward -j MASQ -s 10.0.0.0/8 80", "80", "ports need protocol tcp or udp")]
    [InlineData("-A forward -j MASQ -p 50 -d 1.2.3.4 80", "80", "ports need protocol tcp or udp")]
    [InlineData("-A forward -j MASQ -p tcp -d 1.2.3.4 70000", "70000", "bad port or port range")]
    [InlineData("-A forward -j MASQ -p tcp -d 1.2.3.4 90:80", "90:80", "bad port or port range")]
    [InlineData("-A forward -j MASQ -p tcp -d 1.2.3.4 80 443", "443", "unexpected word")]
    [InlineData("-A forward -j MASQ -p icmp -s 0/0 teapot", "teapot", "bad ICMP type")]
    [InlineData("-A forward -j MASQ -p icmp -d 0/0 3", "3", "ICMP codes")]
    [InlineData("-A forward -j MASQ -p ! tcp", "!", "negated protocols are not supported")]
    [InlineData("-A forward -j MASQ -i", "-i", "missing an interface name after -i")]
    [InlineData("-A forward -j MASQ -i ! eth0", "!", "negated interfaces are not supported")]
    [InlineData("-A forward -j MASQ -i ppp+0", "ppp+0", "bad interface name")]
    [InlineData("-A forward -j MASQ -y", "-y", "unknown or unsupported option")]
    [InlineData("-I input -j DENY", "-I", "unknown or unsupported command")]
    [InlineData("-F input", "-F", "unknown or unsupported command")]
    [InlineData("ipchains", "ipchains", "missing command")]
    [InlineData("ipfwadm -a accept -S 10.0.0.0/8", "", "missing chain (-I, -O or -F)")]
    [InlineData("ipfwadm -F -S 10.0.0.0/8", "", "missing command (-a POLICY or -p POLICY)")]
    [InlineData("ipfwadm -F -I -a accept", "-I", "chain given twice")]
    [InlineData("ipfwadm -F -a accept -a deny", "-a", "command given twice")]
    [InlineData("ipfwadm -F -a allow", "allow", "unknown policy")]
    [InlineData("ipfwadm -F -a deny -m", "-m", "-m (masquerade) needs -a accept")]
    [InlineData("ipfwadm -I -a accept -m", "-m", "masquerade is only valid in the forward chain")]
    [InlineData("ipfwadm -I -p masquerade", "masquerade", "masquerade is only a valid policy for the forward chain")]
    [InlineData("ipfwadm -F -p deny -S 10.0.0.0/8", "-p", "a policy (-p) takes no rule options")]
    [InlineData("ipfwadm -F -a accept -P all -S 10.0.0.0/8 80", "80", "ports need protocol tcp or udp")]
    [InlineData("ipfwadm -F -a accept -V 200.200.200", "200.200.200", "bad interface address")]
    [InlineData("ipfwadm -F -a accept -b", "-b", "unknown or unsupported option")]
    [InlineData("ipfwadm -A in -a accept", "-A", "unknown or unsupported option")]
    [InlineData("ipfwadm -F -a accept 80", "80", "unexpected word")]
    public void BadLine_IsRefusedNamingTheToken(string line, string token, string problem)
    {
        var error = Assert.Throws<RuleParseException>(() => FirewallRules.Parse([line]));

        Assert.Equal((1, token), (error.LineNumber, error.Token));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_BadLine_GivesTheLineNumberAndToken()
    {
        string[] lines = ["-P forward DENY", "# the LAN", "-A forward -j MASQ -s 10.0.0.0/33 -d 0.0.0.0/0"];

        bool parsed = FirewallRules.TryParse(lines, "eth0", out var rules, out var error);

        Assert.False(parsed);
        Assert.Null(rules);
        Assert.Equal(
            "line 3: bad address (expected a.b.c.d, a.b.c.d/n or a.b.c.d/m.m.m.m) at '10.0.0.0/33' in \"-A forward -j MASQ -s 10.0.0.0/33 -d 0.0.0.0/0\"",
            error);
    }

    [Fact]
    public void Parse_BadLine_ThrowsWithTheSameMessageAsTryParse()
    {
        string[] lines = ["-A forward -j MASQ", "-A output -j SNAT"];
        FirewallRules.TryParse(lines, "eth0", out _, out var error);

        var thrown = Assert.Throws<RuleParseException>(() => FirewallRules.Parse(lines));

        Assert.Equal((error, 2, "SNAT", "-A output -j SNAT"), (thrown.Message, thrown.LineNumber, thrown.Token, thrown.Line));
    }

    [Fact]
    public void BlankInsideInterface_IsAProgrammingError()
    {
        Assert.Throws<ArgumentException>(() => FirewallRules.Parse(["-P forward DENY"], " "));
    }

    [Fact]
    public void MasqRuleOutsideForward_IsRefusedByTheConstructor()
    {
        var rule = new FirewallRule { Chain = FirewallChain.Output, Action = FirewallAction.Masq };

        Assert.Throws<ArgumentException>(() => new FirewallRules([rule]));
    }
}
