using System.Collections.Concurrent;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// The shared, read-only directory of real captures: &lt;parent of the repository root&gt;/shared/captures,
/// where the repository root is the first directory above the test binaries holding VpnMasq.sln.
/// Nothing here ever writes into it.
/// </summary>
internal static class SharedCaptures
{
    private const string SolutionFile = "VpnMasq.sln";
    private static readonly Lazy<string> LazyDirectory = new(Locate);
    private static readonly ConcurrentDictionary<string, IReadOnlyList<CaptureRecord>> Cache = new();

    public static string Directory => LazyDirectory.Value;

    /// <summary>File names (not paths) of every *.pcap and *.pcapng capture, sorted.</summary>
    public static IReadOnlyList<string> FileNames() =>
        [.. System.IO.Directory.EnumerateFiles(Directory)
            .Where(p => p.EndsWith(".pcap", StringComparison.Ordinal) || p.EndsWith(".pcapng", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .Cast<string>()
            .Order(StringComparer.Ordinal)];

    /// <summary>The frames of one capture, read once per test run and shared: do not modify the arrays.</summary>
    public static IReadOnlyList<CaptureRecord> Read(string fileName) =>
        Cache.GetOrAdd(fileName, name => CaptureFile.Read(Path.Combine(Directory, name)));

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                continue;
            string captures = Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared", "captures");
            if (!System.IO.Directory.Exists(captures))
                throw new DirectoryNotFoundException($"Found the repository root {dir.FullName}, but no captures at {captures}.");
            return captures;
        }

        throw new DirectoryNotFoundException($"No directory above {AppContext.BaseDirectory} holds {SolutionFile}.");
    }
}
