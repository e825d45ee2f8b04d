using BenchmarkDotNet.Running;

namespace VpnMasq.Benchmarks;

internal static class Program
{
    /// <summary>BenchmarkDotNet for the hot path; <c>journal …</c> and <c>burst …</c> for the scripted node runs.</summary>
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "journal")
            return await JournalLoad.RunAsync(args[1..]);
        if (args.Length > 0 && args[0] == "burst")
            return await BurstLoad.RunAsync(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
