using System.Text.Json;
using SharpPcap;
using SharpPcap.LibPcap;
using VpnMasq.Node.Replay;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Tests.Replay;

/// <summary>Runs a replay into a temporary directory and reads back the frames and events it wrote.</summary>
internal sealed class ReplayHarness : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vpnmasq-replay-").FullName;

    public ReplaySummary Summary { get; private set; } = null!;
    public List<JsonElement> Events { get; } = [];
    public List<byte[]> Output { get; } = [];

    /// <summary>The pcap timestamp of each output frame, in seconds: the time of the input frame that caused it.</summary>
    public List<double> OutputTimes { get; } = [];

    public static MasqueradeOptions Options(bool parallel = false) => new()
    {
        PublicAddress = Ipv4Address.Parse("200.200.200.200"),
        Esp = new EspOptions { ParallelSessions = parallel },
    };

    public ReplayHarness Run(string input, MasqueradeOptions options)
    {
        string output = Path.Combine(_dir, "out.pcap"), events = Path.Combine(_dir, "events.jsonl");
        Summary = ReplayCommand.Replay(new ReplayArguments(input, output, events, []), options);
        foreach (var line in File.ReadAllLines(events))
            Events.Add(JsonDocument.Parse(line).RootElement.Clone());
        using var reader = new CaptureFileReaderDevice(output);
        reader.Open();
        while (reader.GetNextPacket(out var capture) == GetPacketStatus.PacketRead)
        {
            Output.Add(capture.Data.ToArray());
            OutputTimes.Add((double)capture.Header.Timeval.Value);
        }
        return this;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
