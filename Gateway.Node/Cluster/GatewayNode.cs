using System.Globalization;
using Akka.Actor;
using Akka.Hosting;
using Akka.Management.Dsl;
using Akka.Management.Cluster.Bootstrap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VpnMasq.Actors.Ingress;
using VpnMasq.Actors.Peers;
using VpnMasq.Node.Logs;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Front;
using VpnMasq.Protocols.Masquerade.Flows;
using AkkaCluster = Akka.Cluster.Cluster;

using VpnMasq.Node.Live;

namespace VpnMasq.Node.Cluster;

/// <summary>
/// One gateway node: an Akka.NET cluster member (Akka.Hosting) with the peer shard region, the flow
/// replicator feeding this node's flow cache, the activity reporter, and the ingress pipeline that
/// capture (or replay) feeds. Starting it joins the cluster; disposing it leaves gracefully.
/// </summary>
internal sealed class GatewayNode : IAsyncDisposable
{
    private readonly IHost _host;
    private BootstrapContactPoint? _contactPoint;

    private GatewayNode(IHost host, ActorSystem system, IActorRef peers, IActorRef reporter, IngressPipeline ingress, NodeSettings settings)
    {
        _host = host;
        System = system;
        Peers = peers;
        Reporter = reporter;
        Ingress = ingress;
        Settings = settings;
        Readiness = new ReadinessProbe(system, peers);
        Loggers = host.Services.GetRequiredService<ILoggerFactory>();
    }

    public ActorSystem System { get; }

    /// <summary>The shard region of <see cref="PeerActor"/>s.</summary>
    public IActorRef Peers { get; }
    public IActorRef Reporter { get; }
    public IngressPipeline Ingress { get; }
    public NodeSettings Settings { get; }
    public ReadinessProbe Readiness { get; }

    /// <summary>The node's log (Akka's lines go there too); the node's host owns it and flushes it on shutdown.</summary>
    public ILoggerFactory Loggers { get; }
    public FlowIndex FlowCache => Ingress.Cache;
    public string Address => AkkaCluster.Get(System).SelfAddress.ToString();

    public static async Task<GatewayNode> StartAsync(NodeSettings settings, MasqueradeOptions masquerade, CancellationToken cancel = default)
    {
        if (settings.Journal == JournalProvider.Sqlite)
            SqliteJournalFile.Prepare(settings);
        var front = new GatewayFront(masquerade);
        var cache = new FlowIndex();
        var recorder = new ActivityRecorder();
        var peerSettings = new PeerActorSettings { SnapshotEvery = settings.SnapshotEvery, SweepInterval = settings.SweepInterval };

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<IHostLifetime, CallerOwnsSignalsLifetime>();
        builder.Logging.AddNodeConsole(settings.Logging);
        builder.Services.AddAkka(settings.SystemName, (akka, _) => akka
            .WithNodeLogging(settings.Logging)
            .WithVpnMasq(settings, new VpnMasqParts(front.Live, peerSettings, cache, recorder)));

        var host = builder.Build();
        try
        {
            await host.StartAsync(cancel).ConfigureAwait(false);
        }
        catch
        {
            // Cancelled or failed half way: whatever started (the actor system, remoting) stops again.
            await StopQuietlyAsync(host).ConfigureAwait(false);
            throw;
        }

        var system = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        var peers = registry.Get<PeerActor>();
        var ingress = new IngressPipeline(front, cache, recorder, peers, settings.OwnerTimeout, settings.UseFlowCache,
            beforeAskingOwner: TransmitBatch.FlushCurrent);
        var node = new GatewayNode(host, system, peers, registry.Get<ActivityReporter>(), ingress, settings);
        var config = system.Settings.Config;
        node.Loggers.CreateLogger(LogCategories.Node).Info(
            $"node {node.Address}: journal {settings.Journal}, discovery {settings.Discovery} [{string.Join(",", settings.Seeds)}], " +
            $"split-brain resolver {config.GetString("akka.cluster.split-brain-resolver.active-strategy")} " +
            $"(stable after {config.GetString("akka.cluster.split-brain-resolver.stable-after")}), {settings.ShardCount} shards");
        try
        {
            await node.JoinAsync().ConfigureAwait(false);
        }
        catch
        {
            // E.g. the bootstrap contact point's port is taken: nothing joined, so nothing to leave.
            node._contactPoint?.Dispose();
            await StopQuietlyAsync(host).ConfigureAwait(false);
            throw;
        }

        return node;
    }

    private static async Task StopQuietlyAsync(IHost host)
    {
        try
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or AggregateException or InvalidOperationException)
        {
            // Stopping what barely started; the original failure is what the caller reports.
        }

        host.Dispose();
    }

    private async Task JoinAsync()
    {
        var cluster = AkkaCluster.Get(System);
        switch (Settings.Discovery)
        {
            case ClusterDiscovery.Seeds when Settings.Seeds.Count == 0:
                cluster.Join(cluster.SelfAddress);
                break;
            case ClusterDiscovery.Seeds:
                cluster.JoinSeedNodes(Settings.Seeds.Select(SeedAddress).ToList());
                break;
            default:
                await BootstrapAsync().ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// Akka.Management cluster bootstrap (config list on bare metal, Kubernetes API in k8s): every node serves
    /// its contact point, probes the others', and either joins the cluster they report or, on a cold start
    /// when every contact point answered and none is in a cluster, the node with the lowest address forms it.
    /// </summary>
    private async Task BootstrapAsync()
    {
        _contactPoint = new BootstrapContactPoint(System, Settings.Hostname, Settings.BootstrapPort);
        _contactPoint.Start();
        var bootstrap = ClusterBootstrap.Get(System);
        // What Akka.Management's HTTP endpoint would do on start: tell bootstrap where its own contact point is.
        bootstrap.Routes(ManagementRouteProviderSettings.Create(_contactPoint.SelfBaseUri, readOnly: true));
        Loggers.CreateLogger(LogCategories.Node).Info($"cluster bootstrap: contact point {_contactPoint.SelfBaseUri}bootstrap/seed-nodes, " +
                        $"discovery {Settings.Discovery} [{string.Join(",", Settings.BootstrapEndpoints)}]");
        await bootstrap.Start().ConfigureAwait(false);
    }

    private Address SeedAddress(string seed)
    {
        if (seed.StartsWith("akka.tcp://", StringComparison.Ordinal))
            return Akka.Actor.Address.Parse(seed);
        int colon = seed.LastIndexOf(':');
        string host = colon > 0 ? seed[..colon] : seed;
        int port = colon > 0 ? int.Parse(seed[(colon + 1)..], CultureInfo.InvariantCulture) : 4053;
        return new Address("akka.tcp", Settings.SystemName, host, port);
    }

    /// <summary>Waits until this node is an Up member of the cluster.</summary>
    public Task WhenUpAsync(TimeSpan timeout)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        AkkaCluster.Get(System).RegisterOnMemberUp(() => up.TrySetResult());
        return up.Task.WaitAsync(timeout);
    }

    /// <summary>Reports batched activity now, so nothing a flow cache saw is lost on shutdown.</summary>
    public Task FlushActivityAsync(TimeSpan timeout) => Reporter.Ask(ActivityReporter.FlushNow.Instance, timeout);

    /// <summary>Graceful leave: shards are handed over, then the system stops.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await FlushActivityAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            // Shutting down anyway; the owners keep their last persisted view.
        }

        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
        _contactPoint?.Dispose();
    }
}
