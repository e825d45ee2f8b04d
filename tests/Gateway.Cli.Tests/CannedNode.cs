using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VpnMasq.Cli.Tests;

/// <summary>
/// A real HTTP server on 127.0.0.1 that answers like a node's management API from canned bodies,
/// with the same token rule: /healthz and /ready open, everything else wants the bearer token if one is set.
/// </summary>
internal sealed class CannedNode : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Dictionary<string, (int Status, string Body)> _answers;
    private readonly string? _token;

    public CannedNode(Dictionary<string, (int Status, string Body)> answers, string? token = null)
    {
        _answers = answers;
        _token = token;
        (_listener, Url) = Listen();
        _ = Task.Run(Serve);
    }

    public string Url { get; }

    public static CannedNode Sample(string? token = null) => new(
        new()
        {
            ["/healthz"] = (200, "ok\n"),
            ["/ready"] = (200, "ready\n"),
            ["/table"] = (200, SampleNode.Table),
            ["/counters"] = (200, SampleNode.Counters),
            ["/members"] = (200, SampleNode.Members),
        },
        token);

    /// <summary>A port that was free a moment ago; nothing listens on it.</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static (HttpListener, string) Listen()
    {
        for (int attempt = 0; ; attempt++)
        {
            string url = $"http://127.0.0.1:{FreePort()}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(url);
            try
            {
                listener.Start();
                return (listener, url.TrimEnd('/'));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between probe and start; try another.
                listener.Close();
            }
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            string path = context.Request.Url!.AbsolutePath;
            bool open = path is "/healthz" or "/ready";
            var (status, body) = !open && _token is not null && context.Request.Headers["Authorization"] != "Bearer " + _token
                ? (401, "token required\n")
                : _answers.GetValueOrDefault(path, (404, "unknown path\n"));

            context.Response.StatusCode = status;
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
