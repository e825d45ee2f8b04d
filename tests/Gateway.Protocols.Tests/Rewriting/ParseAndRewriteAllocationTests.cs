using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Tests.Captures;

namespace VpnMasq.Protocols.Tests.Rewriting;

/// <summary>
/// The hot path of tests/Gateway.Benchmarks' ParseAndRewriteBenchmarks, on real frames: dissect,
/// then rewrite in place with incremental checksum fix-up, allocating nothing. Each frame is a
/// copy, so the shared capture stays as read; each call alternates between two values so every
/// iteration does a real rewrite.
/// </summary>
public sealed class ParseAndRewriteAllocationTests
{
    private const int Iterations = 1000;
    private const uint Inside = 0x0A00_0002; // 10.0.0.2
    private const uint Public = 0xC8C8_C8C8; // 200.200.200.200

    [Fact]
    public void EspSourceRewrite_OfARealEthernetFrame_AllocatesNothing()
    {
        // tshark -r tcpdump-02-sunrise-sunset-esp.pcap -Y 'frame.number == 1' -T fields -e frame.protocols -e ip.src -e esp.spi
        //   eth:ethertype:ip:esp  192.1.2.23  0x12345678
        var frame = RealFrame("tcpdump-02-sunrise-sunset-esp.pcap", 1, FrameKind.Esp);

        Assert.Equal(0, AllocatedBytes(frame, MasqueradeSource));
    }

    [Fact]
    public void IsakmpSourceRewrite_OfARealUdp500Frame_AllocatesNothing()
    {
        // UDP checksum 0x4f74 is non-zero, so the pseudo-header fix-up runs too.
        // tshark -r tcpdump-ISAKMP_sa_setup.pcap -Y 'frame.number == 1' -T fields -e frame.protocols -e ip.src -e udp.srcport -e udp.checksum
        //   eth:ethertype:ip:udp:isakmp  10.0.0.1  500  0x4f74
        var frame = RealFrame("tcpdump-ISAKMP_sa_setup.pcap", 1, FrameKind.Isakmp);

        Assert.Equal(0, AllocatedBytes(frame, MasqueradeSource));
    }

    [Fact]
    public void GreV1KeyRewrite_OfARealPptpDataFrame_AllocatesNothing()
    {
        // tshark -r flowcontainer-pptp.pcap -Y 'frame.number == 45' -T fields -e frame.protocols -e ip.dst -e gre.flags_and_version -e gre.key.call_id
        //   eth:ethertype:ip:gre:ppp:comp_data  172.16.30.107  0x3081  2035
        var frame = RealFrame("flowcontainer-pptp.pcap", 45, FrameKind.Gre);

        Assert.Equal(0, AllocatedBytes(frame, DemasqueradeGre));
    }

    private static byte[] RealFrame(string file, int number, FrameKind kind)
    {
        var frame = SharedCaptures.Read(file).Single(r => r.FrameNumber == number).Data.ToArray();
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        Assert.Equal((ParseStatus.Ok, kind), (d.Status, d.Kind));
        return frame;
    }

    /// <summary>Bytes this thread allocates over <see cref="Iterations"/> calls, after as many to warm up.</summary>
    private static long AllocatedBytes(byte[] frame, Action<byte[]> parseAndRewrite)
    {
        for (int i = 0; i < Iterations; i++)
            parseAndRewrite(frame);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
            parseAndRewrite(frame);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Outbound ESP or ISAKMP: the source becomes the public address, then an inside one, and so on.</summary>
    private static void MasqueradeSource(byte[] frame)
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        PacketRewriter.SetSourceAddress(frame.AsSpan(d.NetworkOffset, d.IpTotalLength), d.Source == Public ? Inside : Public);
    }

    /// <summary>Inbound GRE v1: the masqueraded Call ID back to the client's, the destination to the inside host.</summary>
    private static void DemasqueradeGre(byte[] frame)
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        var datagram = frame.AsSpan(d.NetworkOffset, d.IpTotalLength);
        PacketRewriter.SetGreCallId(datagram, (ushort)(d.GreCallId ^ 0x00FF));
        PacketRewriter.SetDestinationAddress(datagram, d.Destination ^ 1);
    }
}
