using Akka.Actor;
using Akka.Configuration;
using BenchmarkDotNet.Attributes;
using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Serialization;
using VpnMasq.Node.Cluster;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Benchmarks;

/// <summary>
/// The slow path (issue 12): a burst of new UDP flows to one remote, every frame asked of its owner at once, as
/// ingress nodes do. Each is a port mapping journaled before its verdict, in a SQLite journal file configured as
/// a single node configures it. One operation is one frame decided; each invocation is a burst of
/// <see cref="Burst"/> frames to fresh peers (so no table fills and evicts), spread over <see cref="Remotes"/> of them
/// (1: issue 12's single remote; more: a node's many remotes sharing one journal).
/// </summary>
[MemoryDiagnoser]
public class PeerActorBenchmarks
{
    private const int Burst = 1000;
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMinutes(1);
    private static readonly MasqueradeSettings Settings = new(new MasqueradeOptions { PublicAddress = SampleFrames.Public });
    private static readonly PeerActorSettings Peers = new() { SweepInterval = TimeSpan.Zero, ActivitySnapshotInterval = TimeSpan.Zero };

    private DirectoryInfo _directory = null!;
    private ActorSystem _system = null!;
    private uint _remote = Ipv4Address.Parse("198.18.0.1");
    private IActorRef[] _peers = [];
    private DecideFrame[] _frames = [];

    [Params(1, 16)]
    public int Remotes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("vpnmasq-peer-bench-");
        var node = new NodeSettings { Journal = JournalProvider.Sqlite, DataDirectory = _directory.FullName };
        SqliteJournalFile.Prepare(node);
        _system = ActorSystem.Create("bench", Config(node));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _system.Terminate().GetAwaiter().GetResult();
        _directory.Delete(recursive: true);
    }

    [IterationSetup]
    public void StartPeers()
    {
        var remotes = Enumerable.Range(0, Remotes).Select(_ => ++_remote).ToArray();
        _peers = [.. remotes.Select(r => _system.ActorOf(PeerActor.Props(Ipv4Address.Format(r), new LiveSettings(Settings), Peers, ActorRefs.Nobody)))];
        for (int p = 0; p < Remotes; p++)
            _peers[p].Ask<PeerTable>(new GetPeerTable(remotes[p]), AskTimeout).GetAwaiter().GetResult(); // recovered
        _frames = [.. Enumerable.Range(0, Burst).Select(i => NewFlow(remotes[i % Remotes], (ushort)(20000 + i)))];
    }

    [IterationCleanup]
    public void StopPeers()
    {
        foreach (var peer in _peers)
            _system.Stop(peer);
    }

    [Benchmark(OperationsPerInvoke = Burst)]
    public async Task NewFlows_AskedAtOnce()
    {
        var answers = new Task<FrameDecided>[_frames.Length];
        for (int i = 0; i < _frames.Length; i++)
            answers[i] = _peers[i % Remotes].Ask<FrameDecided>(_frames[i], AskTimeout);
        foreach (var decided in await Task.WhenAll(answers))
        {
            if (decided.Verdict.Action != VerdictAction.Forward)
                throw new InvalidOperationException($"A new flow was not forwarded: {decided.Verdict}");
        }
    }

    private DecideFrame NewFlow(uint remote, ushort sourcePort)
    {
        var frame = JournalLoad.UdpFrame(remote, sourcePort);
        return new DecideFrame(remote, frame, FrameDissector.Dissect(LinkType.Ethernet, frame), Direction.Outbound, TimeSpan.FromSeconds(1));
    }

    /// <summary>A node's journal as Gateway.Node configures it (Akka.Hosting's SqlJournalOptions and the keys it lacks), without the cluster joined.</summary>
    private static Config Config(NodeSettings node) => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          persistence {
            journal {
              plugin = "akka.persistence.journal.sql"
              sql { connection-string = "{{node.EffectiveConnectionString}}", provider-name = "{{LinqToDB.ProviderName.SQLiteMS}}", auto-initialize = on }
            }
            snapshot-store {
              plugin = "akka.persistence.snapshot-store.sql"
              sql { connection-string = "{{node.EffectiveConnectionString}}", provider-name = "{{LinqToDB.ProviderName.SQLiteMS}}", auto-initialize = on }
            }
          }
        }
        """)
        .WithFallback(ConfigurationFactory.ParseString(VpnMasqHosting.UncoveredHocon(node)))
        .WithFallback(ConfigurationFactory.ParseString(SerializationHocon.Config))
        .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
}
