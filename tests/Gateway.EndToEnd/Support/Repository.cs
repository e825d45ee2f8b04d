namespace VpnMasq.EndToEnd.Support;

/// <summary>Paths in the checkout the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Scripts => Path.Combine(Root, "scripts");

    /// <summary>The vpnmasqd built from this checkout (Release, as the test command builds it).</summary>
    public static string Vpnmasqd => Path.Combine(Root, "Gateway.Node", "bin", "Release", "net10.0", "vpnmasqd.dll");

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
