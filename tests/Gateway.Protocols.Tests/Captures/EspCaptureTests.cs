using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// IP protocol 50 (ESP) and 51 (AH) in real captures against tshark. ESP rows are (frame, ip.id,
/// ip.ttl, ip.len, UDP ports, SPI, sequence), the ports 0 where tshark leaves them empty (raw ESP);
/// each table lists every IPv4 frame tshark shows as ESP outside AH.
/// </summary>
public sealed class EspCaptureTests
{
    [Fact]
    public void SunriseSunsetEsp_SpiAndSequence_MatchTshark()
    {
        // tshark -r tcpdump-02-sunrise-sunset-esp.pcap -Y 'ip && esp && !ah' -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e udp.srcport -e udp.dstport -e esp.spi -e esp.sequence
        EspRow[] expected =
        [
            new(1, 0xFF67, 64, 136, 0, 0, 0x12345678, 1),
            new(2, 0xFF68, 64, 136, 0, 0, 0x12345678, 2),
            new(3, 0xFF69, 64, 136, 0, 0, 0x12345678, 3),
            new(4, 0xFF6A, 64, 136, 0, 0, 0x12345678, 4),
            new(5, 0xFF6B, 64, 136, 0, 0, 0x12345678, 5),
            new(6, 0xFF6C, 64, 136, 0, 0, 0x12345678, 6),
            new(7, 0xFF6D, 64, 136, 0, 0, 0x12345678, 7),
            new(8, 0xFF6E, 64, 136, 0, 0, 0x12345678, 8),
        ];

        Assert.Equal(expected, EspRow.Of("tcpdump-02-sunrise-sunset-esp.pcap"));
    }

    [Fact]
    public void NestedEsp_OuterSpiAndSequence_MatchTshark()
    {
        // tshark -r tcpdump-08-sunrise-sunset-esp2.pcap -Y 'ip && esp && !ah' -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e udp.srcport -e udp.dstport -e esp.spi -e esp.sequence
        EspRow[] expected =
        [
            new(1, 0x294D, 64, 192, 0, 0, 0x12345678, 1),
            new(2, 0x294F, 64, 192, 0, 0, 0x12345678, 2),
            new(3, 0x2951, 64, 192, 0, 0, 0x12345678, 3),
            new(4, 0x2953, 64, 192, 0, 0, 0x12345678, 4),
            new(5, 0x2955, 64, 192, 0, 0, 0x12345678, 5),
            new(6, 0x2957, 64, 192, 0, 0, 0x12345678, 6),
            new(7, 0x2959, 64, 192, 0, 0, 0x12345678, 7),
            new(8, 0x295B, 64, 192, 0, 0, 0x12345678, 8),
        ];

        Assert.Equal(expected, EspRow.Of("tcpdump-08-sunrise-sunset-esp2.pcap"));
    }

    [Fact]
    public void EspAfterIkeV2_SpiPerDirection_MatchTshark()
    {
        // tshark -r ndpi-esp.pcapng -Y 'ip && esp && !ah' -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e udp.srcport -e udp.dstport -e esp.spi -e esp.sequence
        EspRow[] expected =
        [
            new(5, 0x0024, 255, 152, 0, 0, 0x2360B0E3, 1),
            new(6, 0x0024, 254, 152, 0, 0, 0xF0092CB5, 1),
        ];

        Assert.Equal(expected, EspRow.Of("ndpi-esp.pcapng"));
    }

    [Fact]
    public void SyntheticHeaderOnlyEsp_Ipv4SpiAndSequence_MatchTshark()
    {
        // The IPv6 frames 7 and 8 are not the gateway's: RealCaptureTests expects them NotIpv4.
        // tshark -r sv-eve-flow-esp.pcap -Y 'ip && esp && !ah' -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e udp.srcport -e udp.dstport -e esp.spi -e esp.sequence
        EspRow[] expected =
        [
            new(1, 0x0001, 64, 28, 0, 0, 0x0000007B, 1),
            new(2, 0x0001, 64, 28, 0, 0, 0x0000007B, 2),
            new(3, 0x0001, 64, 28, 0, 0, 0x00000141, 1),
            new(4, 0x0001, 64, 28, 0, 0, 0x00000141, 2),
            new(5, 0x0001, 64, 28, 0, 0, 0x0000007B, 1),
            new(6, 0x0001, 64, 28, 0, 0, 0x0000007B, 2),
        ];

        Assert.Equal(expected, EspRow.Of("sv-eve-flow-esp.pcap"));
    }

    [Fact]
    public void AuthenticationHeader_SpiAndSequence_MatchTshark()
    {
        // Frame 1 is AH carrying ESP (next header 50), frame 3 AH carrying IPv4 (4).
        // tshark -r ppp-ipsec.pcapng -Y ah -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e ah.next_header -e ah.length -e ah.spi -e ah.sequence
        AhRow[] expected =
        [
            new(1, 0x006F, 255, 180, 50, 4, 0x8179B705, 3),
            new(3, 0x021B, 255, 144, 4, 4, 0x646ADC80, 8),
        ];

        Assert.Equal(expected, AhRow.Of("ppp-ipsec.pcapng"));
    }

    [Fact]
    public void Ipv6Esp_EveryFrame_IsNotIpv4WithTheIpv6EtherType()
    {
        // tshark -r zeek-ip6_esp.pcap -T fields -e eth.type | sort | uniq -c    -> 121 0x86dd
        var dissections = DissectedFrame.Of("zeek-ip6_esp.pcap").Select(f => f.Dissection).ToList();

        Assert.Equal(121, dissections.Count);
        Assert.All(dissections, d => Assert.Equal((FrameKind.NotIpv4, EtherType.Ipv6), (d.Kind, d.EtherType)));
    }
}
