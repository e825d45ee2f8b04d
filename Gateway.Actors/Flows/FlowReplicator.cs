using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Actors.Flows;

/// <summary>
/// Keeps this node's <see cref="FlowIndex"/> equal to the cluster's replicated established-flow table
/// (DESIGN §1). Owners on this node publish through it; every node subscribes. The table is an
/// LWW dictionary per partition, keyed by peer, written only by the peer's owner.
/// </summary>
public sealed class FlowReplicator : ReceiveActor
{
    public const int Partitions = 32;
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(2);

    private readonly FlowIndex _index;
    private readonly IActorRef _replicator;
    private readonly UniqueAddress _self;
    private readonly LWWDictionaryKey<string, PeerFlows>[] _keys;
    private readonly HashSet<uint>[] _known;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public FlowReplicator(FlowIndex index)
    {
        _index = index;
        var data = DistributedData.Get(Context.System);
        _replicator = data.Replicator;
        _self = Cluster.Get(Context.System).SelfUniqueAddress;
        _keys = new LWWDictionaryKey<string, PeerFlows>[Partitions];
        _known = new HashSet<uint>[Partitions];
        for (int i = 0; i < Partitions; i++)
        {
            _keys[i] = new LWWDictionaryKey<string, PeerFlows>("flows-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _known[i] = [];
        }

        Receive<PublishFlows>(Publish);
        Receive<Changed>(OnChanged);
        Receive<UpdateSuccess>(_ => { });
        Receive<UpdateTimeout>(_ => { }); // written locally; gossip carries it to nodes that did not ack in time
        Receive<ModifyFailure>(f => _log.Error(f.Cause, "flow table update failed"));
    }

    public static Props Props(FlowIndex index) => Akka.Actor.Props.Create(() => new FlowReplicator(index));

    protected override void PreStart()
    {
        foreach (var key in _keys)
            _replicator.Tell(Dsl.Subscribe(key, Self));
    }

    public static int PartitionOf(uint peer) => (int)(peer % Partitions);

    private void Publish(PublishFlows m)
    {
        // This node's cache learns at once; the others when the write reaches them.
        _index.SetPeerFlows(m.Peer, m.Flows);
        int partition = PartitionOf(m.Peer);
        var key = _keys[partition];
        string id = Ipv4Address.Format(m.Peer);
        var value = new PeerFlows(m.Flows);
        var write = new WriteAll(WriteTimeout);
        if (m.Flows.Count == 0)
        {
            _known[partition].Remove(m.Peer);
            _replicator.Tell(Dsl.Update(key, LWWDictionary<string, PeerFlows>.Empty, write, d => d.Remove(_self, id)));
        }
        else
        {
            _known[partition].Add(m.Peer);
            _replicator.Tell(Dsl.Update(key, LWWDictionary<string, PeerFlows>.Empty, write, d => d.SetItem(_self, id, value)));
        }
    }

    private void OnChanged(Changed changed)
    {
        int partition = Array.FindIndex(_keys, k => k.Equals(changed.Key));
        if (partition < 0)
            return;
        var data = changed.Get(_keys[partition]);
        var seen = new HashSet<uint>();
        foreach (var (id, flows) in data.Entries)
        {
            if (!Ipv4Address.TryParse(id, out uint peer))
                continue;
            seen.Add(peer);
            var current = _index.FlowsOf(peer);
            if (!current.SequenceEqual(flows.Flows))
                _index.SetPeerFlows(peer, flows.Flows);
        }

        foreach (var gone in _known[partition])
        {
            if (!seen.Contains(gone))
                _index.SetPeerFlows(gone, []);
        }

        _known[partition] = seen;
    }
}
