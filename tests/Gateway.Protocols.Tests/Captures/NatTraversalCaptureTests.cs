using VpnMasq.Protocols.Frames;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// UDP 4500 (RFC 3947/3948) in real captures against tshark: ESP-in-UDP, IKE after the non-ESP
/// marker, and keepalives. ESP rows are (frame, ip.id, ip.ttl, ip.len, UDP ports, SPI, sequence).
/// </summary>
public sealed class NatTraversalCaptureTests
{
    private const string CommercialClient = "ndpi-ipsec_isakmp_esp.pcap";

    [Fact]
    public void IkeV1NatTraversal_EspInUdp_SpiAndSequence_MatchTshark()
    {
        // tshark -r tcpdump-isakmp4500.pcap -Y 'ip && esp && !ah' -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e udp.srcport -e udp.dstport -e esp.spi -e esp.sequence
        EspRow[] expected =
        [
            new(12, 0xAAB4, 63, 160, 4500, 4500, 0xF4DC0AE5, 1),
            new(17, 0xAAB5, 63, 160, 4500, 4500, 0xF4DC0AE5, 2),
            new(19, 0xAAB6, 63, 160, 4500, 4500, 0xF4DC0AE5, 3),
            new(22, 0xAAB7, 63, 160, 4500, 4500, 0xF4DC0AE5, 4),
            new(24, 0xAAB8, 63, 160, 4500, 4500, 0xF4DC0AE5, 5),
            new(25, 0xAAB9, 63, 160, 4500, 4500, 0xF4DC0AE5, 6),
            new(29, 0xAABA, 63, 160, 4500, 4500, 0xF4DC0AE5, 7),
            new(31, 0xAABB, 63, 160, 4500, 4500, 0xF4DC0AE5, 8),
        ];

        Assert.Equal(expected, EspRow.Of("tcpdump-isakmp4500.pcap"));
    }

    [Fact]
    public void IkeV1NatTraversal_Keepalives_AreTheFramesTsharkMarks()
    {
        // tshark -r tcpdump-isakmp4500.pcap -Y udpencap.nat_keepalive -T fields -e frame.number
        int[] expected = [18, 23, 28, 34];

        var keepalives = DissectedFrame.Of("tcpdump-isakmp4500.pcap").Where(f => f.Dissection.Kind == FrameKind.NatTKeepalive);

        Assert.Equal(expected, keepalives.Select(f => f.Number));
    }

    [Fact]
    public void EspInUdp_SpiAndSequence_MatchTshark()
    {
        // tshark -r tcpdump-espudp1.pcap -Y 'ip && esp && !ah' -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e udp.srcport -e udp.dstport -e esp.spi -e esp.sequence
        EspRow[] expected =
        [
            new(1, 0xA60E, 64, 144, 4500, 4500, 0x12345678, 1),
            new(2, 0xA60F, 64, 144, 4500, 4500, 0x12345678, 2),
            new(3, 0xA610, 64, 144, 4500, 4500, 0x12345678, 3),
            new(4, 0xA611, 64, 144, 4500, 4500, 0x12345678, 4),
            new(5, 0xA612, 64, 144, 4500, 4500, 0x12345678, 5),
            new(6, 0xA613, 64, 144, 4500, 4500, 0x12345678, 6),
            new(7, 0xA614, 64, 144, 4500, 4500, 0x12345678, 7),
            new(8, 0xA615, 64, 144, 4500, 4500, 0x12345678, 8),
        ];

        Assert.Equal(expected, EspRow.Of("tcpdump-espudp1.pcap"));
    }

    [Fact]
    public void CommercialClientBehindNat_FirstThirtyFramesIke_MatchTshark()
    {
        // tshark -r ndpi-ipsec_isakmp_esp.pcap -Y 'isakmp && frame.number <= 30' -T fields -e frame.number -e ip.id -e ip.ttl -e udp.srcport -e udp.dstport -e isakmp.ispi -e isakmp.rspi -e isakmp.version -e isakmp.exchangetype -e isakmp.flags -e isakmp.messageid -e isakmp.length
        IkeRow[] expected =
        [
            new(1, 0x44B4, 63, 14500, 4500, 0xB64EF32131A48952, 0x86BABD3904886955, 0x20, 35, 0x08, 0x00000001, 812),
            new(2, 0x74AD, 247, 4500, 14500, 0xB64EF32131A48952, 0x86BABD3904886955, 0x20, 35, 0x20, 0x00000001, 204),
            new(3, 0x44B5, 63, 14500, 4500, 0xB64EF32131A48952, 0x86BABD3904886955, 0x20, 35, 0x08, 0x00000002, 108),
            new(4, 0x79E7, 247, 4500, 14500, 0xB64EF32131A48952, 0x86BABD3904886955, 0x20, 35, 0x20, 0x00000002, 76),
            new(5, 0x44D7, 63, 14500, 4500, 0xB64EF32131A48952, 0x86BABD3904886955, 0x20, 35, 0x08, 0x00000003, 92),
            new(6, 0x7A2A, 247, 4500, 14500, 0xB64EF32131A48952, 0x86BABD3904886955, 0x20, 35, 0x20, 0x00000003, 412),
            new(16, 0x44AA, 63, 10500, 500, 0xB64EF32131A48952, 0x0000000000000000, 0x20, 34, 0x08, 0x00000000, 776),
            new(17, 0x7377, 247, 500, 10500, 0xB64EF32131A48952, 0x0000000000000000, 0x20, 34, 0x20, 0x00000000, 52),
            new(18, 0x44B2, 63, 10500, 500, 0xB64EF32131A48952, 0x0000000000000000, 0x20, 34, 0x08, 0x00000000, 800),
            new(19, 0x73C2, 247, 500, 10500, 0xB64EF32131A48952, 0x86BABD3904886955, 0x20, 34, 0x20, 0x00000000, 288),
            new(20, 0x51FF, 63, 10500, 500, 0xA6DBC0B03671CF73, 0x0000000000000000, 0x20, 34, 0x08, 0x00000000, 776),
            new(21, 0xA96A, 247, 500, 10500, 0xA6DBC0B03671CF73, 0x0000000000000000, 0x20, 34, 0x20, 0x00000000, 52),
            new(22, 0x5201, 63, 10500, 500, 0xA6DBC0B03671CF73, 0x0000000000000000, 0x20, 34, 0x08, 0x00000000, 800),
            new(23, 0xA9AA, 247, 500, 10500, 0xA6DBC0B03671CF73, 0x585BB0490414355F, 0x20, 34, 0x20, 0x00000000, 288),
            new(24, 0xA990, 63, 10500, 500, 0xDE648338C613AA68, 0x0000000000000000, 0x20, 34, 0x08, 0x00000000, 776),
            new(25, 0x4F0D, 247, 500, 10500, 0xDE648338C613AA68, 0x0000000000000000, 0x20, 34, 0x20, 0x00000000, 52),
            new(26, 0xA995, 63, 10500, 500, 0xDE648338C613AA68, 0x0000000000000000, 0x20, 34, 0x08, 0x00000000, 800),
            new(27, 0x4F47, 247, 500, 10500, 0xDE648338C613AA68, 0xD8B3038904240D4B, 0x20, 34, 0x20, 0x00000000, 288),
            new(28, 0xA999, 63, 14500, 4500, 0xDE648338C613AA68, 0xD8B3038904240D4B, 0x20, 35, 0x08, 0x00000001, 812),
            new(29, 0x5031, 247, 4500, 14500, 0xDE648338C613AA68, 0xD8B3038904240D4B, 0x20, 35, 0x20, 0x00000001, 204),
            new(30, 0xAA24, 63, 14500, 4500, 0xDE648338C613AA68, 0xD8B3038904240D4B, 0x20, 35, 0x08, 0x00000002, 108),
        ];

        Assert.Equal(expected, IkeRow.Of(CommercialClient).Where(r => r.Frame <= 30));
    }

    [Fact]
    public void CommercialClientBehindNat_FirstThirtyFramesEsp_MatchTshark()
    {
        // tshark -r ndpi-ipsec_isakmp_esp.pcap -Y 'esp && frame.number <= 30' -E occurrence=f -T fields -e frame.number -e ip.id -e ip.ttl -e ip.len -e udp.srcport -e udp.dstport -e esp.spi -e esp.sequence
        EspRow[] expected =
        [
            new(7, 0x0000, 63, 1360, 14500, 4500, 0x04888FE4, 1),
            new(8, 0x0000, 63, 1360, 14500, 4500, 0x04888FE4, 2),
            new(9, 0x0000, 63, 928, 14500, 4500, 0x04888FE4, 3),
            new(10, 0x0000, 63, 1360, 14500, 4500, 0x04888FE4, 4),
            new(11, 0x8A17, 56, 160, 4500, 14500, 0xCBB7A0C6, 1),
            new(12, 0x8A18, 56, 160, 4500, 14500, 0xCBB7A0C6, 2),
            new(13, 0x8A19, 56, 160, 4500, 14500, 0xCBB7A0C6, 3),
            new(14, 0x0000, 63, 928, 14500, 4500, 0x04888FE4, 5),
            new(15, 0x8A45, 56, 160, 4500, 14500, 0xCBB7A0C6, 4),
        ];

        Assert.Equal(expected, EspRow.Of(CommercialClient).Where(r => r.Frame <= 30));
    }

    [Fact]
    public void CommercialClientBehindNat_ExchangeTypesOfAllFrames_MatchTshark()
    {
        // tshark -r ndpi-ipsec_isakmp_esp.pcap -Y isakmp -T fields -e isakmp.exchangetype | sort | uniq -c
        (byte ExchangeType, int Count)[] expected = [(34, 279), (35, 222), (37, 18)];

        var actual = IkeRow.Of(CommercialClient).CountBy(r => r.ExchangeType).Select(p => (p.Key, p.Value)).Order();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void CommercialClientBehindNat_DistinctSpisOfAllFrames_MatchTshark()
    {
        // tshark -r ndpi-ipsec_isakmp_esp.pcap -Y esp -T fields -e esp.spi | sort -u | wc -l                         -> 74
        // tshark -r ndpi-ipsec_isakmp_esp.pcap -Y isakmp -T fields -e isakmp.ispi -e isakmp.rspi | sort -u | wc -l  -> 136
        var esp = EspRow.Of(CommercialClient);
        var ike = IkeRow.Of(CommercialClient);

        Assert.Equal(74, esp.Select(r => r.Spi).Distinct().Count());
        Assert.Equal(136, ike.Select(r => (r.InitiatorSpi, r.ResponderSpi)).Distinct().Count());
    }

    [Fact]
    public void CommercialClientBehindNat_PortPairsOfAllFrames_MatchTshark()
    {
        // tshark -r ndpi-ipsec_isakmp_esp.pcap -T fields -e udp.srcport -e udp.dstport | sort -n | uniq -c
        ((ushort Source, ushort Destination) Ports, int Count)[] expected =
        [
            ((500, 10500), 127), ((500, 41618), 4), ((500, 42593), 4), ((500, 43811), 4),
            ((4500, 14500), 276), ((4500, 41618), 8), ((4500, 42593), 9), ((4500, 43811), 9),
            ((10500, 500), 128), ((14500, 4500), 234), ((41618, 500), 4), ((41618, 4500), 7),
            ((42593, 500), 4), ((42593, 4500), 6), ((43811, 500), 4), ((43811, 4500), 6),
        ];

        var actual = DissectedFrame.Of(CommercialClient)
            .CountBy(f => (f.Dissection.SourcePort, f.Dissection.DestinationPort))
            .Select(p => (p.Key, p.Value))
            .Order();

        Assert.Equal(expected, actual);
    }
}
