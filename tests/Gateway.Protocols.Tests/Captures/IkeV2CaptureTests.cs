namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// IKEv2 headers in real captures against tshark. A row is (frame, ip.id, ip.ttl, UDP ports,
/// initiator SPI, responder SPI, version, exchange type, flags, message id, length); each table
/// lists every frame tshark dissects as ISAKMP. The captures cover three link types: BSD
/// loopback (DLT_NULL), raw IP and Ethernet.
/// </summary>
public sealed class IkeV2CaptureTests
{
    [Fact]
    public void IkeV2CookieRetryAuthAndChildSas_SpisFlagsAndMessageIds_MatchTshark()
    {
        // tshark -r tcpdump-ikev2four.pcap -Y isakmp -T fields -e frame.number -e ip.id -e ip.ttl -e udp.srcport -e udp.dstport -e isakmp.ispi -e isakmp.rspi -e isakmp.version -e isakmp.exchangetype -e isakmp.flags -e isakmp.messageid -e isakmp.length
        IkeRow[] expected =
        [
            new(1, 0x4DC4, 64, 500, 500, 0xA88875A8198992A6, 0x0000000000000000, 0x20, 34, 0x08, 0x00000000, 376),
            new(2, 0x4DC5, 64, 500, 500, 0xA88875A8198992A6, 0x0000000000000000, 0x20, 34, 0x20, 0x00000000, 60),
            new(3, 0x4DC6, 64, 500, 500, 0xA88875A8198992A6, 0x0000000000000000, 0x20, 34, 0x08, 0x00000000, 408),
            new(4, 0x4DC7, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 34, 0x20, 0x00000000, 304),
            new(5, 0x4DC8, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 35, 0x08, 0x00000001, 236),
            new(6, 0x4DC9, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 35, 0x20, 0x00000001, 156),
            new(7, 0x4DCA, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x08, 0x00000002, 252),
            new(8, 0x4DCB, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x08, 0x00000003, 220),
            new(9, 0x4DCC, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x20, 0x00000002, 76),
            new(10, 0x4DCD, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x20, 0x00000003, 76),
            new(11, 0x4DCE, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x08, 0x00000004, 284),
            new(12, 0x4DCF, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x08, 0x00000005, 252),
            new(13, 0x4DD0, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x20, 0x00000004, 204),
            new(14, 0x4DD1, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x20, 0x00000005, 204),
            new(15, 0x4DD2, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x08, 0x00000006, 284),
            new(16, 0x4DD3, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x08, 0x00000007, 252),
            new(17, 0x4DD4, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x20, 0x00000006, 204),
            new(18, 0x4DD5, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x20, 0x00000007, 204),
            new(19, 0x4DD6, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x08, 0x00000008, 364),
            new(20, 0x4DD7, 64, 500, 500, 0xA88875A8198992A6, 0x71BE8358EFAE7663, 0x20, 36, 0x20, 0x00000008, 316),
            new(21, 0x4DD8, 64, 500, 500, 0x1D9BE9451D4F97A8, 0x64A2A4B5D0E17B6A, 0x20, 37, 0x08, 0x00000000, 92),
        ];

        Assert.Equal(expected, IkeRow.Of("tcpdump-ikev2four.pcap"));
    }

    [Fact]
    public void IkeV2InitiatorSaInitAndAuth_OverLoopback_MatchTshark()
    {
        // tshark -r tcpdump-ikev2pI2.pcap -Y isakmp -T fields -e frame.number -e ip.id -e ip.ttl -e udp.srcport -e udp.dstport -e isakmp.ispi -e isakmp.rspi -e isakmp.version -e isakmp.exchangetype -e isakmp.flags -e isakmp.messageid -e isakmp.length
        IkeRow[] expected =
        [
            new(1, 0x0000, 64, 500, 500, 0x0001020304050607, 0x0000000000000000, 0x20, 34, 0x08, 0x00000000, 508),
            new(2, 0x0000, 64, 500, 500, 0x0001020304050607, 0xC02E7A3031A03188, 0x20, 35, 0x08, 0x00000000, 284),
        ];

        Assert.Equal(expected, IkeRow.Of("tcpdump-ikev2pI2.pcap"));
    }

    [Fact]
    public void IkeV2SaInit_OverRawIp_MatchesTshark()
    {
        // tshark -r sv-IKEv2_SA_INIT_2-8-weak.pcap -Y isakmp -T fields -e frame.number -e ip.id -e ip.ttl -e udp.srcport -e udp.dstport -e isakmp.ispi -e isakmp.rspi -e isakmp.version -e isakmp.exchangetype -e isakmp.flags -e isakmp.messageid -e isakmp.length
        IkeRow[] expected =
        [
            new(1, 0x0000, 64, 500, 500, 0x61D3693CE12AF528, 0x0000000000000000, 0x20, 34, 0x08, 0x00000000, 240),
        ];

        Assert.Equal(expected, IkeRow.Of("sv-IKEv2_SA_INIT_2-8-weak.pcap"));
    }

    [Fact]
    public void IkeV2SaInitAndAuth_BeforeEsp_MatchTshark()
    {
        // tshark -r ndpi-esp.pcapng -Y isakmp -T fields -e frame.number -e ip.id -e ip.ttl -e udp.srcport -e udp.dstport -e isakmp.ispi -e isakmp.rspi -e isakmp.version -e isakmp.exchangetype -e isakmp.flags -e isakmp.messageid -e isakmp.length
        IkeRow[] expected =
        [
            new(1, 0x00DF, 255, 500, 500, 0x05AC0F4D122013F4, 0x0000000000000000, 0x20, 34, 0x08, 0x00000000, 358),
            new(2, 0x00BB, 254, 500, 500, 0x05AC0F4D122013F4, 0x5F46EE70BC4C5D0D, 0x20, 34, 0x20, 0x00000000, 358),
            new(3, 0x00E0, 255, 500, 500, 0x05AC0F4D122013F4, 0x5F46EE70BC4C5D0D, 0x20, 35, 0x08, 0x00000001, 344),
            new(4, 0x00BC, 254, 500, 500, 0x05AC0F4D122013F4, 0x5F46EE70BC4C5D0D, 0x20, 35, 0x20, 0x00000001, 296),
        ];

        Assert.Equal(expected, IkeRow.Of("ndpi-esp.pcapng"));
    }
}
