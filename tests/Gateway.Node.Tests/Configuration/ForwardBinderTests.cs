using VpnMasq.Node.Configuration;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Node.Tests.Configuration;

public sealed class ForwardBinderTests
{
    private static readonly uint FallbackPublic = Ipv4Address.Parse("198.51.100.1");

    private static ConfigurationException BindFails(params (string Key, string Value)[] pairs) =>
        Assert.Throws<ConfigurationException>(() => MasqueradeOptionsBinder.Bind(ConfigurationSources.Build(Source.CommandLine, pairs), FallbackPublic));

    private static (string, string)[] PortForward(int index, string protocol, string publicPort, string target) =>
    [
        ($"Masquerade:PortForwards:{index}:Protocol", protocol),
        ($"Masquerade:PortForwards:{index}:PublicPort", publicPort),
        ($"Masquerade:PortForwards:{index}:Target", target),
    ];

    private static (string, string)[] ProtocolForward(int index, string protocol, string target) =>
    [
        ($"Masquerade:ProtocolForwards:{index}:Protocol", protocol),
        ($"Masquerade:ProtocolForwards:{index}:Target", target),
    ];

    [Theory]
    [InlineData("Protocol", "icmp", "icmp", "500", "10.0.0.2:500")]
    [InlineData("Protocol", "47", "47", "500", "10.0.0.2:500")]
    [InlineData("PublicPort", "0", "udp", "0", "10.0.0.2:500")]
    [InlineData("PublicPort", "65536", "udp", "65536", "10.0.0.2:500")]
    [InlineData("PublicPort", "isakmp", "udp", "isakmp", "10.0.0.2:500")]
    [InlineData("Target", "10.0.0.2", "udp", "500", "10.0.0.2")]
    [InlineData("Target", "10.0.0.2:0", "udp", "500", "10.0.0.2:0")]
    [InlineData("Target", "10.0.0.2:70000", "udp", "500", "10.0.0.2:70000")]
    [InlineData("Target", "server:500", "udp", "500", "server:500")]
    [InlineData("Target", "192.168.1.2:500", "udp", "500", "192.168.1.2:500")]
    public void PortForward_BadField_NamesKeyAndValue(string field, string value, string protocol, string publicPort, string target)
    {
        var error = BindFails(PortForward(0, protocol, publicPort, target));

        Assert.StartsWith($"Masquerade:PortForwards:0:{field}: '{value}' ", error.Message);
    }

    [Fact]
    public void PortForward_TargetOutsideInside_SaysSo()
    {
        var error = BindFails(PortForward(0, "tcp", "1723", "192.168.1.2:1723"));

        Assert.Equal(
            "Masquerade:PortForwards:0:Target: '192.168.1.2:1723' is not inside Masquerade:Inside (10.0.0.0/8); forwards lead to inside hosts only",
            error.Message);
    }

    [Fact]
    public void PortForward_MissingTarget_IsRequired()
    {
        var error = BindFails(PortForward(0, "udp", "500", "10.0.0.2:500")[..2]);

        Assert.StartsWith("Masquerade:PortForwards:0:Target: required", error.Message);
    }

    [Fact]
    public void PortForwards_SameProtocolAndPort_AreRefused()
    {
        var error = BindFails([.. PortForward(0, "udp", "500", "10.0.0.2:500"), .. PortForward(1, "udp", "500", "10.0.0.3:500")]);

        Assert.Equal("Masquerade:PortForwards:1:PublicPort: '500': udp port 500 is already forwarded by Masquerade:PortForwards:0", error.Message);
    }

    [Theory]
    [InlineData("6")]
    [InlineData("tcp")]
    [InlineData("17")]
    [InlineData("udp")]
    public void ProtocolForward_TcpOrUdp_PointsAtPortForwards(string protocol)
    {
        var error = BindFails(ProtocolForward(0, protocol, "10.0.0.2"));

        Assert.StartsWith($"Masquerade:ProtocolForwards:0:Protocol: '{protocol}' ", error.Message);
        Assert.Contains("Masquerade:PortForwards", error.Message);
    }

    [Theory]
    [InlineData("51")]
    [InlineData("ah")]
    public void ProtocolForward_Ah_CannotBeMasqueraded(string protocol)
    {
        var error = BindFails(ProtocolForward(0, protocol, "10.0.0.2"));

        Assert.StartsWith($"Masquerade:ProtocolForwards:0:Protocol: '{protocol}' is AH (51), which cannot be masqueraded", error.Message);
    }

    [Theory]
    [InlineData("Protocol", "256", "256", "10.0.0.2")]
    [InlineData("Protocol", "-1", "-1", "10.0.0.2")]
    [InlineData("Protocol", "ipx", "ipx", "10.0.0.2")]
    [InlineData("Target", "10.0.0.2:50", "esp", "10.0.0.2:50")]
    [InlineData("Target", "192.168.1.2", "esp", "192.168.1.2")]
    public void ProtocolForward_BadField_NamesKeyAndValue(string field, string value, string protocol, string target)
    {
        var error = BindFails(ProtocolForward(0, protocol, target));

        Assert.StartsWith($"Masquerade:ProtocolForwards:0:{field}: '{value}' ", error.Message);
    }

    [Fact]
    public void ProtocolForwards_SameProtocol_AreRefused()
    {
        var error = BindFails([.. ProtocolForward(0, "esp", "10.0.0.2"), .. ProtocolForward(1, "50", "10.0.0.3")]);

        Assert.Equal("Masquerade:ProtocolForwards:1:Protocol: protocol 50 is already forwarded by Masquerade:ProtocolForwards:0", error.Message);
    }

    [Fact]
    public void ProtocolForward_TargetInsideConfiguredInside_Binds()
    {
        var options = MasqueradeOptionsBinder.Bind(
            ConfigurationSources.Build(Source.CommandLine, [("Masquerade:Inside:0", "192.168.0.0/16"), .. ProtocolForward(0, "47", "192.168.7.7")]),
            FallbackPublic);

        Assert.Equal(Ipv4Address.Parse("192.168.7.7"), Assert.Single(options.ProtocolForwards).TargetAddress);
    }
}
