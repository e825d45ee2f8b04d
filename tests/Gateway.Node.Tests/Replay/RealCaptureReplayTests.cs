using System.Buffers.Binary;
using PacketDotNet;
using VpnMasq.Node.Replay;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using LinkType = VpnMasq.Protocols.Link.LinkType;

namespace VpnMasq.Node.Tests.Replay;

/// <summary>
/// The real captures in ../shared/captures run through replay (DESIGN §5.2): every Ethernet capture is read whole
/// (pcapng with several interfaces too), valid frames never come out "malformed", and every frame sent carries
/// IPv4 and transport checksums that PacketDotNet, an independent parser, finds valid.
/// </summary>
public sealed class RealCaptureReplayTests
{
    public static TheoryData<string> EthernetCaptures()
    {
        var data = new TheoryData<string>();
        foreach (var file in CaptureFiles())
        {
            using var reader = new CaptureFileReader(file);
            if (reader.TryRead(out var first) && first.LinkType == LinkType.Ethernet)
                data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EthernetCaptures))]
    public void RealCapture_Replays_WithNoMalformedDropOnAValidFrame(string capture)
    {
        string path = Path.Combine(RepositoryPaths.SharedCaptures, capture);
        var frames = ReadAll(path);

        using var replay = new ReplayHarness().Run(path, ReplayHarness.Options());

        Assert.Equal(frames.Count, replay.Summary.FramesIn);
        Assert.Equal(frames.Count, replay.Events.Count);
        Assert.Equal(frames.Count(f => !FrameDissector.Dissect(LinkType.Ethernet, f).IsOk), replay.Summary.Drops.GetValueOrDefault("malformed"));
    }

    /// <summary>
    /// With the capture's first sender as the inside host, the VPN traffic is really masqueraded (not just
    /// dropped as no-mapping), and whatever is sent has valid checksums, even where the capture's own did not:
    /// an offloaded checksum is completed, a damaged frame is dropped as bad-checksum rather than sent on.
    /// </summary>
    [Theory]
    [MemberData(nameof(EthernetCaptures))]
    public void RealCapture_WithItsInitiatorInside_SendsOnlyFramesWithValidChecksums(string capture)
    {
        string path = Path.Combine(RepositoryPaths.SharedCaptures, capture);
        var frames = ReadAll(path);
        var initiator = frames.Select(SourceOf).FirstOrDefault(a => a != 0);
        var options = ReplayHarness.Options() with { Inside = initiator == 0 ? [] : [new Cidr(initiator, 32)] };

        using var replay = new ReplayHarness().Run(path, options);

        Assert.Equal(frames.Count(f => !FrameDissector.Dissect(LinkType.Ethernet, f).IsOk), replay.Summary.Drops.GetValueOrDefault("malformed"));
        Assert.Equal(replay.Summary.FramesOut, replay.Output.Count);
        foreach (var (sent, n) in replay.Output.Select((f, n) => (f, n)))
            AssertChecksumsValid(sent, $"{capture}: output frame {n + 1}");
    }

    [Fact]
    public void NonEthernetCapture_IsRefusedWithAClearError()
    {
        string path = Path.Combine(RepositoryPaths.SharedCaptures, "tcpdump-ikev2four.pcap");

        var error = Assert.Throws<InvalidDataException>(() => new ReplayHarness().Run(path, ReplayHarness.Options()));
        Assert.Contains("replay needs Ethernet frames", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingInput_IsAClearError()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new ReplayHarness().Run("/nonexistent/in.pcap", ReplayHarness.Options()));
        Assert.Contains("/nonexistent/in.pcap", error.Message, StringComparison.Ordinal);
    }

    private static void AssertChecksumsValid(byte[] frame, string what)
    {
        var ip = Packet.ParsePacket(PacketDotNet.LinkLayers.Ethernet, frame).Extract<IPv4Packet>();
        Assert.True(ip is not null, $"{what} is not IPv4");
        Assert.True(ip.ValidIPChecksum, $"{what} has a bad IPv4 header checksum");
        bool fragment = ip.FragmentOffset != 0 || (ip.FragmentFlags & 0x1) != 0;
        if (fragment)
            return;
        switch (ip.PayloadPacket)
        {
            case TcpPacket tcp:
                Assert.True(tcp.ValidTcpChecksum, $"{what} has a bad TCP checksum");
                break;
            case UdpPacket udp when udp.Checksum != 0:
                Assert.True(udp.ValidUdpChecksum, $"{what} has a bad UDP checksum");
                break;
        }
    }

    private static uint SourceOf(byte[] frame)
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        return d.IsOk && d.Kind != FrameKind.NotIpv4 ? d.Source : 0;
    }

    private static List<byte[]> ReadAll(string path)
    {
        using var reader = new CaptureFileReader(path);
        var frames = new List<byte[]>();
        while (reader.TryRead(out var frame))
            frames.Add(frame.Data);
        return frames;
    }

    private static IEnumerable<string> CaptureFiles() =>
        Directory.GetFiles(RepositoryPaths.SharedCaptures)
            .Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
