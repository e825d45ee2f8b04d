using System.Net;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Tests.Ipv4;

public sealed class Ipv4AddressTests
{
    [Fact]
    public void Parse_DottedQuad_IsBigEndianUInt() => Assert.Equal(0xC0A8_0001u, Ipv4Address.Parse("192.168.0.1"));

    [Fact]
    public void Format_UInt_IsDottedQuad() => Assert.Equal("10.0.0.2", Ipv4Address.Format(0x0A00_0002));

    [Fact]
    public void TryParse_SingleNumber_IsRejected() => Assert.False(Ipv4Address.TryParse("10", out _));

    [Fact]
    public void TryParse_Ipv6_IsRejected() => Assert.False(Ipv4Address.TryParse("::1", out _));

    [Fact]
    public void ToIPAddress_UInt_RoundTripsThroughFromIPAddress()
    {
        Assert.Equal(0xC700_0001u, Ipv4Address.FromIPAddress(Ipv4Address.ToIPAddress(0xC700_0001)));
    }

    [Fact]
    public void FromIPAddress_Ipv6_Throws() => Assert.Throws<ArgumentException>(() => Ipv4Address.FromIPAddress(IPAddress.IPv6Loopback));
}
