namespace VpnMasq.Cli.Tests;

/// <summary>Runs the whole CLI in-process, arguments to exit code, capturing what it prints.</summary>
internal sealed record Outcome(int ExitCode, string Stdout, string Stderr)
{
    public static async Task<Outcome> Of(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode = await Program.RunAsync(args, stdout, stderr, _ => null);
        return new Outcome(exitCode, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A token file for one test, deleted afterwards.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(string content)
    {
        Path = System.IO.Path.GetTempFileName();
        File.WriteAllText(Path, content);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
