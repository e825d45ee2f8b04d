using System.Diagnostics;

namespace VpnMasq.EndToEnd.Support;

/// <summary>
/// tcpdump in a namespace, waiting for its first matching packet. <see cref="Start"/> returns once tcpdump says
/// "listening on" (PEERS.md: a capture started and not yet listening misses what is sent next).
/// </summary>
internal sealed class Tcpdump : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;

    private Tcpdump(Process process, Task<string> output)
    {
        _process = process;
        _output = output;
    }

    public static Tcpdump Start(string ns, string device, string filter)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", ns, "timeout", "20", "tcpdump", "-lni", device, "-c", "1", filter })
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("listening on", StringComparison.Ordinal) != false)
                listening.TrySetResult(); // or tcpdump ended: its output says why
        };
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(10)))
            throw new TimeoutException($"tcpdump on {device} in {ns} did not start listening");
        return new Tcpdump(process, output);
    }

    /// <summary>What tcpdump printed: the first matching packet, or nothing if none came in 20 s.</summary>
    public string FirstPacket() => _output.Wait(TimeSpan.FromSeconds(25)) ? _output.Result : "";

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }
}
