namespace VpnMasq.Node.Tests.Replay;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>The shared captures beside the clone (read-only; never written).</summary>
    public static string SharedCaptures => Path.Combine(Path.GetDirectoryName(Root)!, "shared", "captures");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VpnMasq.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("VpnMasq.sln not found above " + AppContext.BaseDirectory);
    }
}
