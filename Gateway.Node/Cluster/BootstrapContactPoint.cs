using System.Collections.Immutable;
using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Newtonsoft.Json;
using static Akka.Management.Cluster.Bootstrap.ContactPoint.HttpBootstrapJsonProtocol;

namespace VpnMasq.Node.Cluster;

/// <summary>
/// The contact point Akka.Management's cluster bootstrap probes on every node: <c>GET /bootstrap/seed-nodes</c>
/// on <c>Cluster:BootstrapPort</c>, answered with Akka.Management's own JSON types and serializer, so its
/// <c>ClusterBootstrap</c> (discovery, probing, the lowest-address join decision) runs unchanged.
/// Why not Akka.Management's HTTP endpoint: it runs on Ceen.Httpd, and the only Ceen.Httpd the package source
/// serves (0.9.10, Akka.Http.Shim asks for 0.9.9) lacks the <c>ListenAsync</c> overload it calls, so it cannot start.
/// </summary>
internal sealed class BootstrapContactPoint : IDisposable
{
    /// <summary>Akka.Management's default <c>contact-point.max-seed-nodes-to-expose</c>.</summary>
    private const int MaxSeedNodesToExpose = 5;

    private readonly ActorSystem _system;
    private readonly int _port;
    private HttpListener _listener = new();

    public BootstrapContactPoint(ActorSystem system, string hostname, int port)
    {
        _system = system;
        SelfBaseUri = new Uri($"http://{hostname}:{port}/");
        // Bound on every address: behind NAT or in a pod the advertised hostname need not be local.
        _port = port;
        _listener.Prefixes.Add($"http://+:{port}/bootstrap/");
    }

    /// <summary>Where the other nodes reach this contact point; the join decider compares it with discovered targets.</summary>
    public Uri SelfBaseUri { get; }

    public void Start()
    {
        // .NET's managed HttpListener can throw ArgumentNullException out of Start when a connection arrives while it
        // binds (its accept completes before the listener is set up): the other nodes probe this port from the start,
        // and a cluster test lost a node to it. Another listener, a moment later, binds cleanly. Kestrel replaces this
        // listener with the management API (issue 13).
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                _listener.Start();
                break;
            }
            catch (ArgumentNullException) when (attempt < 5)
            {
                _listener.Close();
                Thread.Sleep(50 * attempt);
                _listener = new HttpListener();
                _listener.Prefixes.Add($"http://+:{_port}/bootstrap/");
            }
        }

        HttpListenerLoop.Run(_listener, Answer);
    }

    private async Task Answer(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            bool seedNodes = context.Request.HttpMethod == "GET" &&
                             context.Request.Url?.AbsolutePath.TrimEnd('/') == "/bootstrap/seed-nodes";
            response.StatusCode = seedNodes ? 200 : 404;
            byte[] body = Encoding.UTF8.GetBytes(seedNodes ? SeedNodesJson() : "{\"error\":\"not found\"}");
            response.ContentType = "application/json";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The prober gave up on this request; it asks again on its next tick.
        }
        finally
        {
            response.Close();
        }
    }

    /// <summary>
    /// This node's view, as Akka.Management's route gives it: members that can be joined (Up, WeaklyUp,
    /// Joining, reachable), none while this node is itself leaving or down.
    /// </summary>
    internal string SeedNodesJson()
    {
        var cluster = Akka.Cluster.Cluster.Get(_system);
        var self = cluster.SelfMember;
        var members = ImmutableList<ClusterMember>.Empty;
        if (self.Status is not (MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Leaving or MemberStatus.Removed))
        {
            var state = cluster.State;
            members = state.Members
                .Where(m => !state.Unreachable.Contains(m))
                .Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
                .Take(MaxSeedNodesToExpose)
                .Select(m => new ClusterMember(m.UniqueAddress.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
                .ToImmutableList();
        }

        return JsonConvert.SerializeObject(new SeedNodes(self.UniqueAddress.Address, members));
    }

    public void Dispose()
    {
        if (_listener.IsListening)
            _listener.Stop();
        _listener.Close();
    }
}
