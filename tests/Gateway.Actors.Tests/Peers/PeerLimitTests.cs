using VpnMasq.Actors.Ingress;
using VpnMasq.Actors.Peers;
using VpnMasq.Actors.Tests.Ingress;
using VpnMasq.Actors.Tests.Support;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Peers;

// Bounds (issue 3, DESIGN §3): Masquerade:Limits:Peers caps the peers a node runs, so a flood of new remote
// addresses cannot exhaust its memory. Beyond it a new peer is refused with peer-limit, as the engine refuses
// one; peers already holding sessions go on deciding.
public sealed class PeerLimitTests
{
    private static readonly uint[] Remotes = new[] { "198.18.0.1", "198.18.0.2", "198.18.0.3" }.Select(Ipv4Address.Parse).ToArray();

    private static TrafficFrame Dns(uint remote, ushort sourcePort, int second) =>
        new(UdpFrame(InsideA, sourcePort, remote, 53, [1, 2, 3, 4]), Direction.Outbound, TimeSpan.FromSeconds(second));

    [Fact]
    public async Task PeerLimit_NewPeerBeyondIt_IsRefusedPeerLimit_AndPeersHoldingSessionsGoOn()
    {
        using var gateway = new SingleNodeGateway(new MasqueradeOptions { PublicAddress = Public, Limits = new LimitOptions { Peers = 2 } });
        await gateway.InitializeAsync();
        var count = NodePeerCount.Get(gateway.Sys);

        Assert.True((await gateway.DecideAsync(Dns(Remotes[0], 5000, 1))).Decision.Verdict.SendInput);
        Assert.True((await gateway.DecideAsync(Dns(Remotes[1], 5001, 2))).Decision.Verdict.SendInput);

        var refused = (await gateway.DecideAsync(Dns(Remotes[2], 5002, 3))).Decision;

        Assert.Equal(DropReason.PeerLimit, refused.Verdict.Reason);
        Assert.Equal(DecisionSource.Owner, refused.Source);
        Assert.Equal(1, count.Refused);
        Assert.Empty((await gateway.TableAsync(Remotes[2])).Table.Ports); // nothing was kept for it

        // Its next frames are refused where they were captured, without starting the refused peer again.
        var again = (await gateway.DecideAsync(Dns(Remotes[2], 5004, 3))).Decision;
        Assert.Equal((DropReason.PeerLimit, DecisionSource.Front), (again.Verdict.Reason, again.Source));
        Assert.Equal(1, count.Refused);

        // A new flow to a peer that holds sessions is still decided and forwarded.
        var known = (await gateway.DecideAsync(Dns(Remotes[0], 5003, 4))).Decision;
        Assert.True(known.Verdict.SendInput);
        Assert.Equal(DecisionSource.Owner, known.Source);
        Assert.Equal(2, (await gateway.TableAsync(Remotes[0])).Table.Ports.Count);
    }

    [Fact]
    public async Task EntriesPerPeerLimit_NewMappingEvictsTheLeastRecentlyUsed_AndTheNodeCountsIt()
    {
        using var gateway = new SingleNodeGateway(new MasqueradeOptions { PublicAddress = Public, Limits = new LimitOptions { EntriesPerPeer = 2 } });
        await gateway.InitializeAsync();
        var count = NodePeerCount.Get(gateway.Sys);

        foreach (var (port, second) in new[] { ((ushort)6000, 1), ((ushort)6001, 2), ((ushort)6002, 3) })
            Assert.True((await gateway.DecideAsync(Dns(Remotes[0], port, second))).Decision.Verdict.SendInput);

        Assert.Equal(1, count.Evicted);
        var ports = (await gateway.TableAsync(Remotes[0])).Table.Ports.Select(p => p.InsidePort).Order();
        Assert.Equal(new ushort[] { 6001, 6002 }, ports); // 6000, the least recently used, made room
    }

    [Fact]
    public async Task PeerLimit_BurstOfNewPeersAtOnce_AdmitsExactlyAsManyAsFit()
    {
        using var gateway = new SingleNodeGateway(new MasqueradeOptions { PublicAddress = Public, Limits = new LimitOptions { Peers = 3 } });
        await gateway.InitializeAsync();
        var burst = Enumerable.Range(1, 10).Select(i => Ipv4Address.Parse($"198.18.1.{i}")).ToList();

        var decisions = await Task.WhenAll(burst.Select((remote, i) => gateway.DecideAsync(Dns(remote, (ushort)(7000 + i), 1))));

        Assert.Equal(3, decisions.Count(d => d.Decision.Verdict.SendInput));
        Assert.Equal(7, decisions.Count(d => d.Decision.Verdict.Reason == DropReason.PeerLimit));
        Assert.Equal(3, NodePeerCount.Get(gateway.Sys).Count);
    }
}
