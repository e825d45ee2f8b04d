using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace VpnMasq.EndToEnd.Support;

/// <summary>
/// A <c>vpnmasqd run</c> process in a gateway namespace, capturing eth0 (inside) and eth1 (outside) or the links given,
/// managing the namespace's kernel rules, with its SQLite journal in the run's directory.
/// </summary>
internal sealed class Vpnmasqd : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _forwarding = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Vpnmasqd(Topology topology, string ns, Process process)
    {
        Topology = topology;
        Namespace = ns;
        _process = process;
    }

    public Topology Topology { get; }
    public string Namespace { get; }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public bool HasExited => _process.HasExited;
    public int Pid => _process.Id;
    public int ExitCode => _process.ExitCode;

    /// <param name="arguments">More <c>--Section:Key=value</c> settings (forwards, cluster, journal).</param>
    public static Vpnmasqd Start(Topology topology, params string[] arguments) => StartIn(topology, topology.Gateway, "node", arguments);

    public static Vpnmasqd StartIn(Topology topology, string ns, string name, params string[] arguments) =>
        StartOn(topology, ns, name, "eth0", "eth1", arguments);

    /// <summary>A node in the gateway namespace on other interfaces than eth0 and eth1 (a point-to-point link).</summary>
    public static Vpnmasqd StartOn(Topology topology, string inside, string outside, params string[] arguments) =>
        StartOn(topology, topology.Gateway, "node", inside, outside, arguments);

    private static Vpnmasqd StartOn(Topology topology, string ns, string name, string inside, string outside, string[] arguments)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", ns, "dotnet", Repository.Vpnmasqd, "run", "--inside", inside, "--outside", outside,
                     "--manage-kernel", $"--Node:DataDir={Path.Combine(topology.Directory, name)}", "--Cluster:Port=0" })
            info.ArgumentList.Add(a);
        foreach (var a in arguments)
            info.ArgumentList.Add(a);
        if (!arguments.Any(a => a.StartsWith("--Masquerade:PublicAddress", StringComparison.Ordinal)))
            info.ArgumentList.Add("--Masquerade:PublicAddress=auto");
        var process = Process.Start(info)!;
        var node = new Vpnmasqd(topology, ns, process);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
        if (line.Contains("vpnmasqd: forwarding", StringComparison.Ordinal))
            _forwarding.TrySetResult();
    }

    /// <summary>Waits until the node captures and forwards.</summary>
    public void WaitForwarding(TimeSpan? timeout = null)
    {
        if (!_forwarding.Task.Wait(timeout ?? TimeSpan.FromSeconds(60)))
            throw new TimeoutException($"vpnmasqd in {Namespace} did not start forwarding:\n{Log}");
    }

    /// <summary>Waits for the process to end by itself, and for its output to be read.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            return false;
        _process.WaitForExit(); // the output events are done only after this overload returns
        return true;
    }

    /// <summary>Waits until the log holds <paramref name="text"/>; false after <paramref name="timeout"/>.</summary>
    public bool WaitForLog(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                return false;
            Thread.Sleep(50);
        }

        return true;
    }

    /// <summary>GET a management API path from inside the gateway namespace.</summary>
    public string Get(string path) => Topology.In(Namespace, $"curl -sf http://127.0.0.1:9555{path}");

    /// <summary>The node's masquerade table (GET /table).</summary>
    public JsonElement Table() => JsonDocument.Parse(Get("/table")).RootElement;

    public JsonElement Counters() => JsonDocument.Parse(Get("/counters")).RootElement;

    /// <summary>SIGTERM, and the exit code after a clean shutdown.</summary>
    public int Stop(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            Shell.Try($"kill -TERM {_process.Id}");
            if (!_process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
                throw new TimeoutException($"vpnmasqd did not stop on SIGTERM:\n{Log}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
