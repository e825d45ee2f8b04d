using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Peers;

/// <summary>
/// One actor system per test with the TestKit journal, in which PeerActors of <see cref="Remote"/> are started,
/// stopped and started again (a failover, without the cluster around it).
/// </summary>
public abstract class PeerActorTestKit(Config config) : TestKit(config, "peers")
{
    protected PeerActorTestKit(bool serializeMessages = true)
        : this(TestHocon.PeerActor(serializeMessages))
    {
    }

    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    protected static readonly string PeerId = Ipv4Address.Format(Remote);
    protected static readonly string PersistenceId = "peer-" + PeerId;

    /// <summary>No timers: sweeps and activity snapshots only when a test sends them.</summary>
    protected static readonly PeerActorSettings Quiet = new()
    {
        SnapshotEvery = 1000,
        SweepInterval = TimeSpan.Zero,
        ActivitySnapshotInterval = TimeSpan.Zero,
        IdleTimeout = TimeSpan.FromMinutes(10),
    };

    private PersistenceInspector? _persistence;

    protected MasqueradeSettings Masquerade { get; } = MixedTraffic.Settings();

    private protected PersistenceInspector Persistence => _persistence ??= new PersistenceInspector(this);

    protected IActorRef StartPeer(IActorRef flowPublisher, PeerActorSettings? settings = null) =>
        Sys.ActorOf(PeerActor.Props(PeerId, new LiveSettings(Masquerade), settings ?? Quiet, flowPublisher));

    private protected static Task<FrameDecided> DecideAsync(IActorRef peer, TrafficFrame traffic) =>
        peer.Ask<FrameDecided>(Asked(traffic), Timeout);

    /// <summary>What an ingress node asks the owner: a copy of the frame and the dissection it took at capture.</summary>
    private protected static DecideFrame Asked(TrafficFrame traffic)
    {
        var frame = traffic.Frame.ToArray();
        return new DecideFrame(Remote, frame, FrameDissector.Dissect(LinkType.Ethernet, frame), traffic.Direction, traffic.At);
    }

    protected static Task<PeerTable> TableAsync(IActorRef peer) => peer.Ask<PeerTable>(new GetPeerTable(Remote), Timeout);

    /// <summary>Feeds every frame to the actor and to <paramref name="reference"/>; each verdict and output must match.</summary>
    private protected static async Task<IReadOnlyList<FrameDecided>> FeedAsync(IActorRef peer, ReferencePeer reference, IEnumerable<TrafficFrame> frames)
    {
        var decisions = new List<FrameDecided>();
        foreach (var traffic in frames)
        {
            var expected = reference.Decide(traffic);
            var decided = await DecideAsync(peer, traffic);
            Assert.Equal(expected.Verdict, decided.Verdict);
            Assert.Equal(expected.Frame, decided.Frame);
            decisions.Add(decided);
        }

        return decisions;
    }

    /// <summary>Sends a command with the test actor as its sender, so an answer (or none) shows in the test actor's queue.</summary>
    private protected void Send(IActorRef peer, TrafficFrame traffic) =>
        peer.Tell(Asked(traffic), TestActor);

    /// <summary>Stops the actor and waits until it is gone, as its node dying would.</summary>
    protected async Task StopAsync(IActorRef peer)
    {
        var watcher = CreateTestProbe();
        watcher.Watch(peer);
        peer.Tell(PoisonPill.Instance);
        await watcher.ExpectTerminatedAsync(peer, Timeout);
    }
}
