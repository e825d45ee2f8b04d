using Akka.Actor;
using Akka.Cluster;
using Akka.TestKit.Xunit2;
using VpnMasq.Actors.Flows;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Actors.Tests.Flows;

/// <summary>
/// Two actor systems in this process forming a real cluster over loopback TCP (the first is the seed), each
/// with a <see cref="FlowReplicator"/> feeding its own <see cref="FlowIndex"/>, as every gateway node has.
/// The TestKit runs on node A.
/// </summary>
public sealed class TwoNodeCluster : TestKit, IAsyncLifetime
{
    private const string SystemName = "vpnmasq";
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(60);

    public TwoNodeCluster() : base(TestHocon.FlowNode, SystemName)
    {
        A = new Node(Sys);
        B = new Node(ActorSystem.Create(SystemName, TestHocon.FlowNode.WithFallback(Sys.Settings.Config)));
    }

    public Node A { get; }
    public Node B { get; }

    public async Task InitializeAsync()
    {
        var seed = Cluster.Get(A.System).SelfAddress;
        Cluster.Get(A.System).Join(seed);
        Cluster.Get(B.System).Join(seed);
        await AwaitConditionAsync(() => Task.FromResult(BothUp(A.System) && BothUp(B.System)), FormTimeout, TimeSpan.FromMilliseconds(100));
    }

    public async Task DisposeAsync() => await B.System.Terminate();

    private static bool BothUp(ActorSystem system) =>
        Cluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up) == 2;

    /// <summary>One gateway node's flow cache and the replicator that keeps it.</summary>
    public sealed class Node
    {
        public Node(ActorSystem system)
        {
            System = system;
            Replicator = system.ActorOf(FlowReplicator.Props(Index), "flows");
        }

        public ActorSystem System { get; }
        public FlowIndex Index { get; } = new();
        public IActorRef Replicator { get; }
    }
}
