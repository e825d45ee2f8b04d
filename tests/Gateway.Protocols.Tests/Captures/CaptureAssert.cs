namespace VpnMasq.Protocols.Tests.Captures;

internal static class CaptureAssert
{
    /// <summary>Fails listing the first problems in full (Assert.Empty would cut each one short).</summary>
    public static void NoProblems(IReadOnlyCollection<string> problems) =>
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(25))}");
}
