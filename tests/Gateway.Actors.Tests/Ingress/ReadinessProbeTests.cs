using VpnMasq.Actors.Peers;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Actors.Tests.Ingress;

// A node takes traffic once it is an Up member and the peers its shards hold have recovered.
public sealed class ReadinessProbeTests(SingleNodeGateway gateway) : IClassFixture<SingleNodeGateway>
{
    [Fact]
    public async Task UpNode_WhosePeersHaveRecovered_IsReady()
    {
        await gateway.TableAsync(Ipv4Address.Parse("203.0.113.20")); // a peer in one of this node's shards
        var probe = new ReadinessProbe(gateway.Sys, gateway.Peers, TimeSpan.FromMilliseconds(300));
        Assert.False(await probe.CheckAsync(TimeSpan.FromSeconds(20))); // what it hosts has not been seen to settle yet

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await probe.CheckAsync(TimeSpan.FromSeconds(20)) && DateTime.UtcNow < deadline)
            await Task.Delay(50);

        Assert.True(probe.IsReady);
    }
}
