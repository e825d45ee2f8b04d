using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.TestKit.Xunit2;
using VpnMasq.Actors.Flows;
using VpnMasq.Actors.Ingress;
using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Front;
using VpnMasq.Protocols.Masquerade.Flows;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Ingress;

/// <summary>
/// A one-node gateway cluster wired as Gateway.Node's GatewayNode does: the peer shard region of PeerActors on
/// the in-memory journal, the flow replicator feeding this node's flow cache, the activity reporter, and the
/// ingress pipeline. The reporter's timer is long: tests flush it when they mean to.
/// </summary>
public sealed class SingleNodeGateway : TestKit, IAsyncLifetime
{
    public SingleNodeGateway() : this(new MasqueradeOptions { PublicAddress = Public })
    {
    }

    /// <summary>A gateway with its own options (not a fixture: xunit builds those with the public constructor).</summary>
    internal SingleNodeGateway(MasqueradeOptions options) : base(TestHocon.GatewayNode, "gateway")
    {
        Options = options;
        var front = new GatewayFront(Options);
        var peerSettings = new PeerActorSettings { SnapshotEvery = 200, SweepInterval = TimeSpan.Zero, ActivitySnapshotInterval = TimeSpan.Zero };
        var flows = Sys.ActorOf(FlowReplicator.Props(Cache), "flows");
        Peers = ClusterSharding.Get(Sys).Start(
            "peer",
            entityId => PeerActor.Props(entityId, front.Live, peerSettings, flows),
            ClusterShardingSettings.Create(Sys),
            new PeerMessageExtractor(30));
        Reporter = Sys.ActorOf(ActivityReporter.Props(Recorder, Peers, TimeSpan.FromHours(1)), "activity");
        Ingress = new IngressPipeline(front, Cache, Recorder, Peers, TimeSpan.FromSeconds(20));
    }

    public MasqueradeOptions Options { get; }
    public FlowIndex Cache { get; } = new();
    public ActivityRecorder Recorder { get; } = new();
    public IActorRef Peers { get; }
    public IActorRef Reporter { get; }
    public IngressPipeline Ingress { get; }

    public async Task InitializeAsync()
    {
        var cluster = Cluster.Get(Sys);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Decides a copy of the frame as a capture thread would; returns the decision and the frame as rewritten.</summary>
    internal async Task<(IngressDecision Decision, byte[] Frame)> DecideAsync(TrafficFrame traffic)
    {
        var frame = traffic.Frame.ToArray();
        var decision = await Ingress.DecideAsync(frame, traffic.Direction, traffic.At);
        return (decision, frame);
    }

    /// <summary>Waits until this node's flow cache holds <paramref name="count"/> flows of <paramref name="peer"/>.</summary>
    public Task AwaitCachedAsync(uint peer, int count) =>
        AwaitAssertAsync(() => Assert.Equal(count, Cache.FlowsOf(peer).Count), TimeSpan.FromSeconds(30));

    public Task<PeerTable> TableAsync(uint peer) => Peers.Ask<PeerTable>(new GetPeerTable(peer), TimeSpan.FromSeconds(20));
}
