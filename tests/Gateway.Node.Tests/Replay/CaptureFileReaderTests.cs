using VpnMasq.Node.Replay;
using VpnMasq.Protocols.Tests.Captures;

namespace VpnMasq.Node.Tests.Replay;

/// <summary>
/// Replay's streaming capture reader against the whole-file reader the protocol tests check field by field
/// against tshark: the same frames, link types and timestamps from every capture, pcap and pcapng alike;
/// and a damaged file is a clear error naming the file, never a silent early end.
/// </summary>
public sealed class CaptureFileReaderTests
{
    public static TheoryData<string> Captures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.SharedCaptures)
                     .Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void EveryCapture_ReadsTheSameFramesAsTheTsharkCheckedReader(string capture)
    {
        string path = Path.Combine(RepositoryPaths.SharedCaptures, capture);
        var expected = CaptureFile.Read(path);

        var actual = ReadAll(path);

        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].LinkType, actual[i].LinkType);
            Assert.Equal(expected[i].Data, actual[i].Data);
            if (!double.IsNaN(expected[i].TimestampSeconds))
                Assert.Equal(expected[i].TimestampSeconds, actual[i].Timestamp.Ticks / (double)TimeSpan.TicksPerSecond, 6);
        }
    }

    [Fact]
    public void PcapngWithInterfacesOfDifferentSnapLengths_ReadsEveryFrame()
    {
        // libpcap stops at the second interface of this file ("an interface has a snapshot length different…").
        var frames = ReadAll(Path.Combine(RepositoryPaths.SharedCaptures, "ppp-GrePackets.pcap"));

        Assert.Equal(7, frames.Count); // capinfos: 7 packets on 2 interfaces
    }

    [Theory]
    [InlineData("tcpdump-pptp.pcap")]
    [InlineData("ppp-GrePackets.pcap")]
    public async Task CaptureFromAPipe_ReadsLikeTheFile(string capture)
    {
        // As in: vpnmasqd replay --in <(zcat capture.pcap.gz) — a stream that cannot seek.
        string source = Path.Combine(RepositoryPaths.SharedCaptures, capture);
        string fifo = Path.Combine(Path.GetTempPath(), $"vpnmasq-fifo-{Guid.NewGuid():N}");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)!)
            await mkfifo.WaitForExitAsync();
        try
        {
            var writer = Task.Run(() => File.WriteAllBytes(fifo, File.ReadAllBytes(source)));

            var piped = ReadAll(fifo);
            await writer;

            Assert.Equal(ReadAll(source).Select(f => f.Data), piped.Select(f => f.Data));
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [Theory]
    [InlineData("tcpdump-pptp.pcap")]
    [InlineData("ppp-ipsec.pcapng")]
    public void TruncatedCapture_IsAnErrorNamingTheFile(string capture)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryPaths.SharedCaptures, capture));
        string path = Path.Combine(Path.GetTempPath(), $"vpnmasq-cut-{Guid.NewGuid():N}-{capture}");
        File.WriteAllBytes(path, bytes[..^7]);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => ReadAll(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("corrupt capture at byte", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FileThatIsNoCapture_IsAnErrorNamingTheMagic()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vpnmasq-text-{Guid.NewGuid():N}.pcap");
        File.WriteAllText(path, "this is not a capture file at all");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => ReadAll(path));

            Assert.Contains("neither pcap nor pcapng", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<CapturedFrame> ReadAll(string path)
    {
        using var reader = new CaptureFileReader(path);
        var frames = new List<CapturedFrame>();
        while (reader.TryRead(out var frame))
            frames.Add(frame);
        return frames;
    }
}
