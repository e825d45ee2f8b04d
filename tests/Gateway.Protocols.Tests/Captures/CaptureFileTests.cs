using System.Buffers.Binary;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// The capture reader: every shared capture against tshark, then hand-built files for what the
/// shared ones lack (nanosecond pcap, big-endian pcapng, if_tsresol/if_tsoffset, SPB, several
/// sections) and for corrupt input.
/// </summary>
public sealed class CaptureFileTests
{
    // Per file: tshark -r FILE -T fields -e frame.number -e frame.encap_type -e frame.time_epoch -e frame.cap_len
    // (count, encapsulation 1 = Ethernet, 15 = Null, 7 = raw IP, first and last time, summed cap_len).
    [Theory]
    [InlineData("flowcontainer-pptp.pcap", 402, LinkType.Ethernet, 1599620409.090383, 1599620434.682299, 166685)]
    [InlineData("ndpi-esp.pcapng", 6, LinkType.Ethernet, 1587340723.655842, 1587340725.659995, 1856)]
    [InlineData("ndpi-ipsec_isakmp_esp.pcap", 834, LinkType.Ethernet, 946744635.161000, 946742224.296000, 451722)]
    [InlineData("ndpi-pptp.pcap", 24, LinkType.Ethernet, 1451895531.141577, 1451895536.574011, 2328)]
    [InlineData("ppp-GrePackets.pcap", 7, LinkType.Ethernet, 1150344981.941650, 1605124619.087414, 725)]
    [InlineData("ppp-ipsec.pcapng", 3, LinkType.Ethernet, 1214051927.042805, 1438520405.263780, 414)]
    [InlineData("sv-IKEv2_SA_INIT_2-8-weak.pcap", 1, LinkType.Raw, 1550264500.092416, 1550264500.092416, 268)]
    [InlineData("sv-eve-flow-esp.pcap", 8, LinkType.Ethernet, 1588781447.778571, 1588781447.793136, 376)]
    [InlineData("sv-ikev1-duplicate-proposals-generated.pcap", 1, LinkType.Ethernet, 1439117415.368374, 1439117415.368374, 218)]
    [InlineData("sv-ikev1-isakmp-main-mode.pcap", 9, LinkType.Ethernet, 1439117415.368374, 1439117415.581625, 1926)]
    [InlineData("tcpdump-02-sunrise-sunset-esp.pcap", 8, LinkType.Ethernet, 0.000000, 0.000000, 1200)]
    [InlineData("tcpdump-08-sunrise-sunset-esp2.pcap", 8, LinkType.Ethernet, 0.000000, 0.000000, 1648)]
    [InlineData("tcpdump-ISAKMP_sa_setup.pcap", 9, LinkType.Ethernet, 1214051813.127741, 1214051813.322794, 1862)]
    [InlineData("tcpdump-espudp1.pcap", 8, LinkType.Ethernet, 0.000000, 0.000000, 1264)]
    [InlineData("tcpdump-ikev2four.pcap", 21, LinkType.Null, 1186402884.386989, 1186402884.517735, 5496)]
    [InlineData("tcpdump-ikev2pI2.pcap", 2, LinkType.Null, 86400.000000, 172800.000000, 856)]
    [InlineData("tcpdump-isakmp-no-none-np.pcapng", 1, LinkType.Ethernet, 0.000000, 0.000000, 2228)]
    [InlineData("tcpdump-isakmp4500.pcap", 35, LinkType.Ethernet, 0.000000, 0.000000, 6246)]
    [InlineData("tcpdump-pptp.pcap", 23, LinkType.Ethernet, 954147395.148077, 954147396.347775, 2072)]
    [InlineData("tcpdump-various_gre.pcap", 100, LinkType.Ethernet, 1497606301.394037, 1497606342.185807, 8444)]
    [InlineData("zeek-gre-pptp.pcap", 2, LinkType.Ethernet, 1417577703.821897, 1417577704.035791, 465)]
    [InlineData("zeek-gre-sample.pcap", 40, LinkType.Ethernet, 1055289968.793044, 1055289996.921473, 6731)]
    [InlineData("zeek-ip6_esp.pcap", 121, LinkType.Ethernet, 1140435026.073862, 1140436074.108524, 18250)]
    public void Read_SharedCapture_MatchesTshark(string file, int frames, LinkType linkType, double firstTime, double lastTime, int capturedBytes)
    {
        var records = CaptureFile.Read(Path.Combine(SharedCaptures.Directory, file));

        Assert.Equal(frames, records.Count);
        Assert.Equal(Enumerable.Range(0, frames), records.Select(r => r.Index));
        Assert.All(records, r => Assert.Equal(linkType, r.LinkType));
        Assert.Equal(firstTime, records[0].TimestampSeconds, tolerance: 1e-6);
        Assert.Equal(lastTime, records[^1].TimestampSeconds, tolerance: 1e-6);
        Assert.Equal(capturedBytes, records.Sum(r => r.Data.Length));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parse_NanosecondPcap_ReadsEitherByteOrder(bool bigEndian)
    {
        var file = new FileBuilder(bigEndian).U32(0xA1B23C4D).U16(2).U16(4).U32(0).U32(0).U32(65535).U32(101)
            .U32(1_000).U32(500_000_000).U32(3).U32(3).Bytes(0x45, 0x00, 0x00)
            .U32(1_001).U32(1).U32(0).U32(60).Build();

        var records = CaptureFile.Parse(file);

        Assert.Equal([(0, LinkType.Raw, 3), (1, LinkType.Raw, 0)], records.Select(r => (r.Index, r.LinkType, r.Data.Length)));
        Assert.Equal(1_000.5, records[0].TimestampSeconds, tolerance: 1e-9);
        Assert.Equal(1_001.000000001, records[1].TimestampSeconds, tolerance: 1e-6);
    }

    [Fact]
    public void Parse_BigEndianPcapNg_AppliesEachInterfacesResolutionAndOffset()
    {
        var pcapng = new FileBuilder(bigEndian: true);
        pcapng.SectionHeader();
        pcapng.Block(1, b => b.U16(101).U16(0).U32(0).Option(9, [9]).EndOfOptions());                     // ns
        pcapng.Block(1, b => b.U16(1).U16(0).U32(4).Option(9, [0x80 | 10]).Option(14, Int64(true, 100)).EndOfOptions());
        pcapng.Block(4, b => b.U32(0));                                                                 // name resolution: skipped
        pcapng.Block(6, b => b.U32(0).U32(0).U32(2_000_000_000).U32(1).U32(1).Bytes(0x45).Pad());
        pcapng.Block(6, b => b.U32(1).U32(0).U32(2048).U32(2).U32(2).Bytes(1, 2).Pad());
        pcapng.Block(3, b => b.U32(5).Bytes(1, 2, 3, 4, 5).Pad());                                      // SPB: interface 0

        var records = CaptureFile.Parse(pcapng.Build());

        Assert.Equal([(LinkType.Raw, 1), (LinkType.Ethernet, 2), (LinkType.Raw, 5)], records.Select(r => (r.LinkType, r.Data.Length)));
        Assert.Equal(2.0, records[0].TimestampSeconds, tolerance: 1e-9);
        Assert.Equal(102.0, records[1].TimestampSeconds, tolerance: 1e-9);
        Assert.True(double.IsNaN(records[2].TimestampSeconds));
    }

    [Fact]
    public void Parse_SimplePacketBlock_IsCutToTheSnapLength()
    {
        var pcapng = new FileBuilder(bigEndian: false);
        pcapng.SectionHeader();
        pcapng.Block(1, b => b.U16(1).U16(0).U32(4));
        pcapng.Block(3, b => b.U32(60).Bytes(1, 2, 3, 4));

        var record = Assert.Single(CaptureFile.Parse(pcapng.Build()));

        Assert.Equal([1, 2, 3, 4], record.Data);
    }

    [Fact]
    public void Parse_SecondSection_StartsAFreshInterfaceListInItsOwnByteOrder()
    {
        var first = new FileBuilder(bigEndian: false);
        first.SectionHeader();
        first.Block(1, b => b.U16(1).U16(0).U32(0));
        first.Block(6, b => b.U32(0).U32(0).U32(0).U32(0).U32(0));
        var second = new FileBuilder(bigEndian: true);
        second.SectionHeader();
        second.Block(1, b => b.U16(113).U16(0).U32(0));
        second.Block(6, b => b.U32(0).U32(0).U32(0).U32(0).U32(0));

        var records = CaptureFile.Parse([.. first.Build(), .. second.Build()]);

        Assert.Equal([(0, LinkType.Ethernet), (1, LinkType.LinuxCooked)], records.Select(r => (r.Index, r.LinkType)));
    }

    public static TheoryData<string, byte[]> CorruptFiles => new()
    {
        { "too short", [0xD4, 0xC3] },
        { "unknown magic", [1, 2, 3, 4, 5, 6, 7, 8] },
        { "pcap global header needs 24", new FileBuilder(false).U32(0xA1B2C3D4).U16(2).Build() },
        { "header is cut off", PcapHeader().U32(0).Build() },
        { "claims 100 bytes but only 2 remain", PcapHeader().U32(0).U32(0).U32(100).U32(100).Bytes(1, 2).Build() },
        { "has length 13", PcapNg(p => p.Raw(6).Raw(13).Raw(0).Raw(0)) },
        { "trailing length 16 differs", PcapNg(p => p.Raw(6).Raw(20).Raw(0).Raw(0).Raw(16)) },
        { "names interface 0, but the section declares 0", PcapNg(p => p.Block(6, b => b.U32(0).U32(0).U32(0).U32(0).U32(0))) },
        {
            "captured length 9 exceeds",
            PcapNg(p => p.Block(1, b => b.U16(1).U16(0).U32(0)).Block(6, b => b.U32(0).U32(0).U32(0).U32(9).U32(9).Bytes(1, 2, 3, 4)))
        },
        { "option 9 declares 8 bytes", PcapNg(p => p.Block(1, b => b.U16(1).U16(0).U32(0).U16(9).U16(8).U32(0))) },
        { "Simple Packet Block before any Interface", PcapNg(p => p.Block(3, b => b.U32(0))) },
        { "byte-order magic", new FileBuilder(false).U32(0x0A0D0D0A).U32(28).U32(0x11223344).U16(1).U16(0).U32(0).U32(0).U32(28).Build() },
    };

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void Parse_CorruptFile_ThrowsInvalidDataExceptionSayingWhy(string why, byte[] file)
    {
        var error = Assert.Throws<InvalidDataException>(() => CaptureFile.Parse(file));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    private static FileBuilder PcapHeader() => new FileBuilder(false).U32(0xA1B2C3D4).U16(2).U16(4).U32(0).U32(0).U32(65535).U32(1);

    private static byte[] PcapNg(Action<FileBuilder> blocks)
    {
        var builder = new FileBuilder(bigEndian: false);
        builder.SectionHeader();
        blocks(builder);
        return builder.Build();
    }

    private static byte[] Int64(bool bigEndian, long value)
    {
        var bytes = new byte[8];
        if (bigEndian)
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        else
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }
}
