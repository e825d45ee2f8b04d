using SharpPcap;
using SharpPcap.LibPcap;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Node.Tests.Replay;

/// <summary>The real captures in ../shared/captures run through replay: valid frames never come out "malformed".</summary>
public sealed class RealCaptureReplayTests
{
    public static TheoryData<string> EthernetCaptures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.SharedCaptures).Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal)).Order())
        {
            using var reader = new CaptureFileReaderDevice(file);
            reader.Open();
            if (reader.LinkType == PacketDotNet.LinkLayers.Ethernet)
                data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EthernetCaptures))]
    public void RealCapture_Replays_WithNoMalformedDropOnAValidFrame(string capture)
    {
        string path = Path.Combine(RepositoryPaths.SharedCaptures, capture);
        int invalidFrames = CountFramesTheDissectorRejects(path);

        using var replay = new ReplayHarness().Run(path, ReplayHarness.Options());

        Assert.Equal(replay.Events.Count, replay.Summary.FramesIn);
        Assert.Equal(invalidFrames, replay.Summary.Drops.GetValueOrDefault("malformed"));
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

    private static int CountFramesTheDissectorRejects(string path)
    {
        using var reader = new CaptureFileReaderDevice(path);
        reader.Open();
        int invalid = 0;
        while (reader.GetNextPacket(out var capture) == GetPacketStatus.PacketRead)
        {
            var d = FrameDissector.Dissect(LinkType.Ethernet, capture.Data);
            if (!d.IsOk)
                invalid++;
        }

        return invalid;
    }
}
