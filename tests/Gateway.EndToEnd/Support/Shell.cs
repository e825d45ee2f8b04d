using System.Diagnostics;
using System.Text;

namespace VpnMasq.EndToEnd.Support;

/// <summary>
/// Runs bash with the scripts/e2e and scripts/pptp libraries sourced (when present), from the
/// repository root. The libraries do the namespace and daemon work; tests say what to check.
/// </summary>
internal static class Shell
{
    private static readonly string[] Libraries = ["scripts/e2e/topology.sh", "scripts/e2e/strongswan.sh", "scripts/pptp/pptp.sh", "scripts/e2e/pair.sh", "scripts/e2e/tun-link.sh"];

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    /// <summary>Runs <paramref name="script"/>; throws with both outputs when it fails.</summary>
    public static string Run(string script, TimeSpan? timeout = null)
    {
        var result = Try(script, timeout);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"shell step failed: {script}\n{result}");
        return result.Output;
    }

    public static Result Try(string script, TimeSpan? timeout = null)
    {
        var prelude = new StringBuilder("set -euo pipefail\n");
        foreach (var library in Libraries)
        {
            if (File.Exists(Path.Combine(Repository.Root, library)))
                prelude.Append("source ").Append(library).Append('\n');
        }

        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(prelude + script);
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, output.Result, error.Result + "\n(timed out)");
        }

        return new Result(process.ExitCode, output.Result, error.Result);
    }
}
