using Akka.Actor;
using VpnMasq.Actors.Flows;
using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Peers;

// DESIGN §3.1, §3.3: entries expire by frame time. A sweep journals the expiries and takes the expired flows out
// of every node's flow cache, so no node goes on translating for a mapping the owner has dropped.
public sealed class SweepTests : PeerActorTestKit
{
    private static readonly TrafficFrame Udp = new(UdpFrame(InsideB, 5000, Remote, 53, [1]), Direction.Outbound, TimeSpan.FromSeconds(3));

    /// <summary>UDP mappings live 5 minutes, ESP SAs 30 (the defaults).</summary>
    private static readonly TimeSpan UdpExpired = Udp.At + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan SaExpired = EspSa.Reply.At + TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1);

    [Fact]
    public async Task SweepPeer_ExpiresWhatOutlivedItsLifetime_AndPublishesTheRetraction()
    {
        var flows = CreateTestProbe();
        var peer = StartPeer(flows);
        var reference = new ReferencePeer(Masquerade);
        await FeedAsync(peer, reference, [EspSa.Initial, EspSa.Reply, Udp]);
        // Frames decided close together share one publication (PeerActor.PublicationDelay): wait for the last.
        await flows.FishForMessageAsync<PublishFlows>(p => p.Flows.Count == 2, Timeout);
        var expiries = new List<PeerEvent>();
        reference.State.Sweep(Masquerade, UdpExpired, expiries);
        reference.State.Sweep(Masquerade, SaExpired, expiries);

        peer.Tell(new SweepPeer(Remote, UdpExpired));
        var fewer = await flows.ExpectMsgAsync<PublishFlows>(Timeout);
        peer.Tell(new SweepPeer(Remote, SaExpired));
        var none = await flows.ExpectMsgAsync<PublishFlows>(Timeout);

        Assert.Equal([EspSa.Flow], fewer.Flows);
        Assert.Equal(Remote, none.Peer);
        Assert.Empty(none.Flows);
        var journal = await Persistence.EventsAsync(PersistenceId);
        Assert.Collection(expiries,
            e => Assert.Equal(RemovalCause.Expired, Assert.IsType<PortUnmapped>(e).Cause),
            e => Assert.Equal(RemovalCause.Expired, Assert.IsType<EspEntryRemoved>(e).Cause));
        Assert.Equal<object>(expiries, journal.Skip(reference.Events.Count).Select(e => e.Event));
        Assert.Equal(0, (await TableAsync(peer)).Table.EntryCount);
    }
}
