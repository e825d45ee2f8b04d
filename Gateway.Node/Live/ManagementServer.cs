using System.Net;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using VpnMasq.Actors.Peers;
using VpnMasq.Node.Cluster;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Live;

/// <summary>
/// The management HTTP API (DESIGN §5.3): <c>/healthz</c> ("ok", then each link with its framing and MTU) and <c>/ready</c> without a token;
/// <c>/table</c> (this node's peers, JSON), <c>/counters</c>, <c>/flows</c> (this node's flow cache) and <c>/members</c> with the bearer token
/// from <c>Management:TokenFile</c> when one is configured.
/// </summary>
internal sealed class ManagementServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly GatewayNode _node;
    private readonly LiveGateway _gateway;
    private readonly string? _token;

    public ManagementServer(string url, string? tokenFile, GatewayNode node, LiveGateway gateway)
    {
        _node = node;
        _gateway = gateway;
        _token = tokenFile is null ? null : File.ReadAllText(tokenFile).Trim();
        // HttpListener spells "every address" as +, operators as 0.0.0.0.
        string prefix = url.Replace("://0.0.0.0", "://+", StringComparison.Ordinal);
        _listener.Prefixes.Add(prefix.EndsWith('/') ? prefix : prefix + "/");
    }

    /// <summary>Frames by outcome, and what the limits cost this node: "limit:peers-refused", "limit:entries-evicted".</summary>
    private SortedDictionary<string, long> Counters()
    {
        var counters = _gateway.CountersNow();
        var peers = NodePeerCount.Get(_node.System);
        counters["limit:peers-refused"] = peers.Refused;
        counters["limit:entries-evicted"] = peers.Evicted;
        counters["peers"] = peers.Count;
        return counters;
    }

    /// <summary>One line per link, as the front uses it now: "outside ppp0 raw-ip mtu 1400".</summary>
    private string Links()
    {
        var settings = _node.Ingress.Front.Settings;
        return $"inside {_gateway.Inside.Link.Name} {_gateway.Inside.Framing.Name()} mtu {settings.LinkMtu(Side.Inside)}\n" +
               $"outside {_gateway.Outside.Link.Name} {_gateway.Outside.Framing.Name()} mtu {settings.LinkMtu(Side.Outside)}\n";
    }

    public void Start()
    {
        _listener.Start();
        HttpListenerLoop.Run(_listener, Answer);
    }

    private async Task Answer(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            string path = context.Request.Url?.AbsolutePath ?? "/";
            bool open = path is "/healthz" or "/ready";
            if (!open && _token is not null && context.Request.Headers["Authorization"] != "Bearer " + _token)
            {
                await Write(response, 401, "token required\n").ConfigureAwait(false);
                return;
            }

            switch (path)
            {
                case "/healthz":
                    await Write(response, 200, "ok\n" + Links()).ConfigureAwait(false);
                    break;
                case "/ready":
                    bool ready = await _node.Readiness.CheckAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
                    await Write(response, ready ? 200 : 503, ready ? "ready\n" : "not ready\n").ConfigureAwait(false);
                    break;
                case "/table":
                    await Write(response, 200, JsonSerializer.Serialize(await Table().ConfigureAwait(false)) + "\n").ConfigureAwait(false);
                    break;
                case "/counters":
                    await Write(response, 200, JsonSerializer.Serialize(Counters()) + "\n").ConfigureAwait(false);
                    break;
                case "/flows":
                    var flows = new { peers = _node.FlowCache.PeerCount, lookups = _node.FlowCache.LookupCount };
                    await Write(response, 200, JsonSerializer.Serialize(flows) + "\n").ConfigureAwait(false);
                    break;
                case "/members":
                    var members = Akka.Cluster.Cluster.Get(_node.System).State.Members.Select(m => new { address = m.Address.ToString(), status = m.Status.ToString() });
                    await Write(response, 200, JsonSerializer.Serialize(members) + "\n").ConfigureAwait(false);
                    break;
                default:
                    await Write(response, 404, "unknown path\n").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or AskTimeoutException)
        {
            response.Abort();
        }
    }

    /// <summary>Every peer this node owns, with its table (DESIGN §4: the masquerade table).</summary>
    private async Task<List<object>> Table()
    {
        var peers = await LocalPeers.AskAsync(_node.Peers, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        var tables = await Task.WhenAll(peers.Select(p => _node.Peers.Ask<PeerTable>(new GetPeerTable(p), TimeSpan.FromSeconds(5)))).ConfigureAwait(false);
        return tables.Select(t => (object)PeerTableView.Of(t)).ToList();
    }

    private static async Task Write(HttpListenerResponse response, int status, string body)
    {
        response.StatusCode = status;
        response.ContentType = body.StartsWith('{') || body.StartsWith('[') ? "application/json" : "text/plain";
        var bytes = Encoding.UTF8.GetBytes(body);
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    public void Dispose() => _listener.Close();
}
