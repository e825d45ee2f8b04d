using System.Security.Cryptography;
using VpnMasq.Node.Replay;

namespace VpnMasq.Fuzz.Seeds;

/// <summary>
/// Cuts every target's seed inputs from every frame of the given captures. Frames alike in shape (link type,
/// kind, protocol, ports, how far dissection got, size) add little but calibration time, so each target keeps a
/// few of each shape, up to <see cref="MaxFrameSeeds"/>; seeds of whole captures are all kept.
/// </summary>
internal static class SeedExtractor
{
    private const int MaxFrameSeeds = 96;
    private const int PerShape = 4;

    public static int Extract(string output, IReadOnlyList<string> sources, TextWriter log)
    {
        var captures = sources.SelectMany(CaptureFiles).Select(Load).OfType<SeedCapture>().ToList();
        foreach (var target in TargetCatalog.All)
        {
            string directory = Path.Combine(output, target.Name);
            Directory.CreateDirectory(directory);
            var seen = new HashSet<string>();
            var shapes = new Dictionary<string, int>();
            int frameSeeds = 0, written = 0;
            foreach (var capture in captures)
            {
                foreach (var seed in target.SeedsOfCapture?.Invoke(capture) ?? [])
                    written += Write(directory, capture.Name, seed, seen) ? 1 : 0;
                foreach (var frame in capture.Frames)
                {
                    if (frameSeeds >= MaxFrameSeeds || target.SeedOf(frame) is not { } seed)
                        continue;
                    string shape = ShapeOf(frame, seed);
                    if (shapes.GetValueOrDefault(shape) >= PerShape || !Write(directory, capture.Name, seed, seen))
                        continue;
                    shapes[shape] = shapes.GetValueOrDefault(shape) + 1;
                    frameSeeds++;
                    written++;
                }
            }

            log.WriteLine($"{target.Name,-22} {written,4} seeds");
            if (written == 0)
            {
                log.WriteLine($"no seed for {target.Name}: the captures hold nothing it reads");
                return 1;
            }
        }

        return 0;
    }

    private static IEnumerable<string> CaptureFiles(string source) =>
        Directory.Exists(source)
            ? Directory.EnumerateFiles(source)
                .Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
            : [source];

    private static SeedCapture? Load(string path)
    {
        var frames = new List<SeedFrame>();
        try
        {
            using var reader = new CaptureFileReader(path);
            while (reader.TryRead(out var frame))
                frames.Add(new SeedFrame(frame.LinkType, frame.Data));
        }
        catch (InvalidDataException)
        {
            // A damaged capture still seeds the capture-file target, and whatever frames came before the damage.
        }

        return new SeedCapture(Path.GetFileNameWithoutExtension(path), File.ReadAllBytes(path), frames);
    }

    private static string ShapeOf(SeedFrame frame, byte[] seed)
    {
        var d = frame.Dissection;
        return $"{frame.LinkType}/{d.Kind}/{d.Protocol}/{Math.Min(d.SourcePort, d.DestinationPort)}/{d.TcpFlags}/{d.Status}/{d.FailedLayer}/{seed.Length / 64}";
    }

    private static bool Write(string directory, string captureName, byte[] seed, HashSet<string> seen)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(seed))[..16];
        if (!seen.Add(hash))
            return false;
        File.WriteAllBytes(Path.Combine(directory, $"{captureName}-{hash}"), seed);
        return true;
    }
}
