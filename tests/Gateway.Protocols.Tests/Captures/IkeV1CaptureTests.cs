namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// IKEv1 (ISAKMP 1.0) headers in real captures against tshark. A row is (frame, ip.id, ip.ttl,
/// UDP ports, initiator cookie, responder cookie, version, exchange type, flags, message id,
/// length); each table lists every frame tshark dissects as ISAKMP, so the dissector must find
/// exactly those frames and no others.
/// </summary>
public sealed class IkeV1CaptureTests
{
    [Fact]
    public void IkeV1MainMode_CookiesAndExchangeTypes_MatchTshark()
    {
        // tshark -r sv-ikev1-isakmp-main-mode.pcap -Y isakmp -T fields -e frame.number -e ip.id -e ip.ttl -e udp.srcport -e udp.dstport -e isakmp.ispi -e isakmp.rspi -e isakmp.version -e isakmp.exchangetype -e isakmp.flags -e isakmp.messageid -e isakmp.length
        IkeRow[] expected =
        [
            new(1, 0x0289, 255, 500, 500, 0xE47A591FD057587F, 0x0000000000000000, 0x10, 2, 0x00, 0x00000000, 168),
            new(2, 0x00D3, 255, 500, 500, 0xE47A591FD057587F, 0xA00B8EF0902BB8EC, 0x10, 2, 0x00, 0x00000000, 108),
            new(3, 0x028A, 255, 500, 500, 0xE47A591FD057587F, 0xA00B8EF0902BB8EC, 0x10, 2, 0x00, 0x00000000, 284),
            new(4, 0x00D4, 255, 500, 500, 0xE47A591FD057587F, 0xA00B8EF0902BB8EC, 0x10, 2, 0x00, 0x00000000, 304),
            new(5, 0x028B, 255, 500, 500, 0xE47A591FD057587F, 0xA00B8EF0902BB8EC, 0x10, 2, 0x01, 0x00000000, 108),
            new(6, 0x00D5, 255, 500, 500, 0xE47A591FD057587F, 0xA00B8EF0902BB8EC, 0x10, 2, 0x01, 0x00000000, 76),
            new(7, 0x028C, 255, 500, 500, 0xE47A591FD057587F, 0xA00B8EF0902BB8EC, 0x10, 32, 0x01, 0x635A2E6A, 220),
            new(8, 0x00D6, 255, 500, 500, 0xE47A591FD057587F, 0xA00B8EF0902BB8EC, 0x10, 32, 0x01, 0x635A2E6A, 220),
            new(9, 0x028D, 255, 500, 500, 0xE47A591FD057587F, 0xA00B8EF0902BB8EC, 0x10, 32, 0x01, 0x635A2E6A, 60),
        ];

        Assert.Equal(expected, IkeRow.Of("sv-ikev1-isakmp-main-mode.pcap"));
    }

    [Fact]
    public void IkeV1CiscoMainAndQuickMode_CookiesAndMessageIds_MatchTshark()
    {
        // tshark -r tcpdump-ISAKMP_sa_setup.pcap -Y isakmp -T fields -e frame.number -e ip.id -e ip.ttl -e udp.srcport -e udp.dstport -e isakmp.ispi -e isakmp.rspi -e isakmp.version -e isakmp.exchangetype -e isakmp.flags -e isakmp.messageid -e isakmp.length
        IkeRow[] expected =
        [
            new(1, 0x0065, 255, 500, 500, 0xCF02326F14A95B93, 0x0000000000000000, 0x10, 2, 0x00, 0x00000000, 148),
            new(2, 0x0031, 255, 500, 500, 0xCF02326F14A95B93, 0x18A109F89219E8DF, 0x10, 2, 0x00, 0x00000000, 108),
            new(3, 0x0066, 255, 500, 500, 0xCF02326F14A95B93, 0x18A109F89219E8DF, 0x10, 2, 0x00, 0x00000000, 272),
            new(4, 0x0032, 255, 500, 500, 0xCF02326F14A95B93, 0x18A109F89219E8DF, 0x10, 2, 0x00, 0x00000000, 272),
            new(5, 0x0067, 255, 500, 500, 0xCF02326F14A95B93, 0x18A109F89219E8DF, 0x10, 2, 0x01, 0x00000000, 108),
            new(6, 0x0033, 255, 500, 500, 0xCF02326F14A95B93, 0x18A109F89219E8DF, 0x10, 2, 0x01, 0x00000000, 76),
            new(7, 0x0068, 255, 500, 500, 0xCF02326F14A95B93, 0x18A109F89219E8DF, 0x10, 32, 0x01, 0x0F2B7862, 220),
            new(8, 0x0034, 255, 500, 500, 0xCF02326F14A95B93, 0x18A109F89219E8DF, 0x10, 32, 0x01, 0x0F2B7862, 220),
            new(9, 0x0069, 255, 500, 500, 0xCF02326F14A95B93, 0x18A109F89219E8DF, 0x10, 32, 0x01, 0x0F2B7862, 60),
        ];

        Assert.Equal(expected, IkeRow.Of("tcpdump-ISAKMP_sa_setup.pcap"));
    }

    [Fact]
    public void IkeV1DuplicateProposals_Header_MatchesTshark()
    {
        // tshark -r sv-ikev1-duplicate-proposals-generated.pcap -Y isakmp -T fields -e frame.number -e ip.id -e ip.ttl -e udp.srcport -e udp.dstport -e isakmp.ispi -e isakmp.rspi -e isakmp.version -e isakmp.exchangetype -e isakmp.flags -e isakmp.messageid -e isakmp.length
        IkeRow[] expected =
        [
            new(1, 0x0289, 255, 500, 500, 0xE47A591FD057587F, 0x0000000000000000, 0x10, 2, 0x00, 0x00000000, 176),
        ];

        Assert.Equal(expected, IkeRow.Of("sv-ikev1-duplicate-proposals-generated.pcap"));
    }

    [Fact]
    public void IsakmpWithoutNoneTerminator_Header_MatchesTshark()
    {
        // The payload chain is broken, the header is not: its Length (84) ends well inside the
        // 2186-byte UDP payload, which the parser accepts just as tshark does.
        // tshark -r tcpdump-isakmp-no-none-np.pcapng -Y isakmp -T fields -e frame.number -e ip.id -e ip.ttl -e udp.srcport -e udp.dstport -e isakmp.ispi -e isakmp.rspi -e isakmp.version -e isakmp.exchangetype -e isakmp.flags -e isakmp.messageid -e isakmp.length
        IkeRow[] expected =
        [
            new(1, 0x7079, 128, 500, 500, 0x0000000000000000, 0x0000000000000000, 0x10, 5, 0x00, 0x5F724DC6, 84),
        ];

        Assert.Equal(expected, IkeRow.Of("tcpdump-isakmp-no-none-np.pcapng"));
    }

    [Fact]
    public void IkeV1NatTraversal_FloatsFrom500To4500_HeadersMatchTshark()
    {
        // tshark -r tcpdump-isakmp4500.pcap -Y isakmp -T fields -e frame.number -e ip.id -e ip.ttl -e udp.srcport -e udp.dstport -e isakmp.ispi -e isakmp.rspi -e isakmp.version -e isakmp.exchangetype -e isakmp.flags -e isakmp.messageid -e isakmp.length
        IkeRow[] expected =
        [
            new(3, 0x0000, 63, 500, 500, 0x9E89F2388F90BC1E, 0x0000000000000000, 0x10, 2, 0x00, 0x00000000, 292),
            new(4, 0x0000, 64, 500, 500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 2, 0x00, 0x00000000, 136),
            new(5, 0x0000, 63, 500, 500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 2, 0x00, 0x00000000, 284),
            new(6, 0x0000, 64, 500, 500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 2, 0x00, 0x00000000, 284),
            new(7, 0x0000, 63, 4500, 4500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 2, 0x01, 0x00000000, 324),
            new(8, 0x0000, 64, 4500, 4500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 2, 0x01, 0x00000000, 300),
            new(9, 0x0000, 63, 4500, 4500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 32, 0x01, 0x8B7E8947, 428),
            new(10, 0x0000, 64, 4500, 4500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 32, 0x01, 0x8B7E8947, 348),
            new(11, 0x0000, 63, 4500, 4500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 32, 0x01, 0x8B7E8947, 52),
            new(15, 0x0000, 64, 4500, 4500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 32, 0x01, 0x8B7E8947, 348),
            new(16, 0x0000, 63, 4500, 4500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 32, 0x01, 0x8B7E8947, 52),
            new(20, 0x0000, 64, 4500, 4500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 32, 0x01, 0x8B7E8947, 348),
            new(21, 0x0000, 63, 4500, 4500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 32, 0x01, 0x8B7E8947, 52),
            new(30, 0x0000, 64, 4500, 4500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 32, 0x01, 0x8B7E8947, 348),
            new(35, 0x0000, 64, 4500, 4500, 0x9E89F2388F90BC1E, 0x0A74357CE3D1A4BF, 0x10, 5, 0x01, 0x02BDC64F, 76),
        ];

        Assert.Equal(expected, IkeRow.Of("tcpdump-isakmp4500.pcap"));
    }
}
