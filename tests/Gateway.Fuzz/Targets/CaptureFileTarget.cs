using VpnMasq.Node.Replay;

namespace VpnMasq.Fuzz.Targets;

/// <summary>
/// Replay's capture-file reader (pcap and pcapng) over a whole file. A corrupt file is reported as an
/// InvalidDataException by design; any other exception is a crash.
/// </summary>
internal static class CaptureFileTarget
{
    /// <summary>Big seeds slow every mutation; the first 16 KiB of a capture hold its headers and many records.</summary>
    private const int MaxSeedLength = 16 * 1024;

    public static FuzzTarget Target { get; } = new("capture-file", Read, _ => null)
    {
        SeedsOfCapture = capture => [capture.File.Length > MaxSeedLength ? capture.File[..MaxSeedLength] : capture.File],
    };

    private static void Read(ReadOnlySpan<byte> input)
    {
        try
        {
            using var reader = new CaptureFileReader(new MemoryStream(input.ToArray(), writable: false), "fuzz-input");
            while (reader.TryRead(out var frame))
                Sink.Keep(frame.Data.Length + frame.Timestamp.Ticks + (int)frame.LinkType);
        }
        catch (InvalidDataException)
        {
            // The reader's one way of saying "corrupt file", with where and why.
        }
    }
}
