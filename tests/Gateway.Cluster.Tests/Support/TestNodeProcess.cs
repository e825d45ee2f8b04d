using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace VpnMasq.Cluster.Tests.Support;

/// <summary>
/// One gateway node as a real process (Gateway.Cluster.TestNode), driven over stdin/stdout. Killing it
/// is a SIGKILL: no graceful leave, no flush — what a power cut does.
/// </summary>
internal sealed class TestNodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string[]>> _pending = new();
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<string> _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stdin = new();
    private long _nextId;

    private TestNodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>The node's cluster address (akka.tcp://…), once up.</summary>
    public string Address { get; private set; } = "";
    public bool HasExited => _process.HasExited;

    /// <summary>What the node wrote to stderr (Akka's log), for failure messages.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static async Task<TestNodeProcess> StartAsync(string name, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var node = await LaunchAsync(name, arguments);
        await node.WhenUpAsync(timeout);
        return node;
    }

    /// <summary>Waits until the node has joined a cluster and is Up.</summary>
    public async Task WhenUpAsync(TimeSpan timeout)
    {
        if (Address.Length > 0)
            return;
        try
        {
            Address = await _up.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await DisposeAsync();
            throw new TimeoutException($"node {Name} did not come up within {timeout}:\n{Log}");
        }
    }

    /// <summary>Starts the process without waiting for it to join.</summary>
    public static Task<TestNodeProcess> LaunchAsync(string name, IEnumerable<string> arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Gateway.Cluster.TestNode.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + dll);
        var node = new TestNodeProcess(name, process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (node._log) node._log.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        _ = Task.Run(node.ReadReplies);
        return Task.FromResult(node);
    }

    private async Task ReadReplies()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ');
            if (parts[0] == "up")
            {
                _up.TrySetResult(parts[1]);
                continue;
            }

            if (parts.Length > 1 && _pending.TryRemove(parts[1], out var reply))
            {
                if (parts[0] == "error")
                    reply.TrySetException(new InvalidOperationException($"{Name}: {line}"));
                else
                    reply.TrySetResult(parts);
            }
        }

        _up.TrySetException(new InvalidOperationException($"node {Name} exited before it was up:\n{Log}"));
        foreach (var (_, pending) in _pending)
            pending.TrySetException(new IOException($"node {Name} exited"));
    }

    /// <summary>Sends one command and returns the reply's words (verb, id, fields…).</summary>
    public Task<string[]> SendAsync(string verb, params string[] arguments)
    {
        string id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var reply = new TaskCompletionSource<string[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        string line = arguments.Length == 0 ? $"{verb} {id}" : $"{verb} {id} {string.Join(' ', arguments)}";
        try
        {
            lock (_stdin)
            {
                _process.StandardInput.WriteLine(line);
                _process.StandardInput.Flush();
            }
        }
        catch (IOException e)
        {
            _pending.TryRemove(id, out _);
            reply.TrySetException(new IOException($"node {Name} is gone", e));
        }

        return reply.Task;
    }

    public async Task<NodeDecision> DecideAsync(byte[] frame, bool outbound, TimeSpan at)
    {
        var r = await SendAsync("decide", outbound ? "out" : "in", at.Ticks.ToString(CultureInfo.InvariantCulture), Convert.ToHexString(frame));
        return new NodeDecision(r[2], r[3], r[4], r[5], r[6], r[7] == "-" ? null : Convert.FromHexString(r[7]));
    }

    public async Task<int> IntAsync(string verb, int field = 2) =>
        int.Parse((await SendAsync(verb))[field], CultureInfo.InvariantCulture);

    /// <summary>Hard kill (SIGKILL): the node gets no chance to leave or flush anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Graceful leave: shards are handed over before the process exits.</summary>
    public async Task LeaveAsync(TimeSpan timeout)
    {
        await SendAsync("leave").WaitAsync(timeout);
        await _process.WaitForExitAsync().WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>A node's answer to one frame.</summary>
internal sealed record NodeDecision(string Action, string Reason, string Inside, string Source, string Owner, byte[]? Output)
{
    public override string ToString() => $"{Action} {Reason} inside={Inside} via {Source} owner={Owner}";
}
