using PacketDotNet;
using VpnMasq.Node.Live;

namespace VpnMasq.Node.Tests.Live;

/// <summary>The framing comes from the libpcap datalink of the interface (tcpdump -L shows it), never its name.</summary>
public sealed class LinkFramingTests
{
    [Theory]
    [InlineData(LinkLayers.Ethernet, "ethernet")]
    [InlineData(LinkLayers.RawLegacy, "raw-ip")] // tun, WireGuard on Linux (DLT_RAW = 12)
    [InlineData(LinkLayers.Raw, "raw-ip")]
    [InlineData(LinkLayers.LinuxSll, "linux-cooked")] // ppp
    public void Of_SupportedDatalink_IsItsFraming(LinkLayers datalink, string framing) =>
        Assert.Equal(framing, LinkFramings.Of("ppp0", datalink).Name());

    [Fact]
    public void Of_AnotherDatalink_IsRefusedInOneLineNamingTheInterfaceAndType()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => LinkFramings.Of("wlan0", LinkLayers.Ieee80211));

        Assert.Equal(
            "interface wlan0 has libpcap link type Ieee80211 (105); vpnmasqd forwards on Ethernet, raw IP (ppp, tun, WireGuard) and Linux cooked links only",
            refusal.Message);
    }
}
