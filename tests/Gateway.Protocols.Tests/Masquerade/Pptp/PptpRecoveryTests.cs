using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Pptp;

// DESIGN §1 "The table survives failover": the events of a decision rebuild the state that made it.
public sealed class PptpRecoveryTests
{
    [Fact]
    public void EventsOfPptpCalls_AppliedToFreshPeerState_RouteTheNextGreTheSameWay()
    {
        var calls = new TwoPptpClients();
        var recovered = new PeerState(Remote, calls.Gateway.Gateway.Settings.Options);
        foreach (var e in calls.Gateway.Events)
            recovered.Apply(e);
        var gre = GreFrame(Remote, Public, calls.OutsideCallIdB);

        var live = calls.Gateway.Send(gre).Inside;
        var replayed = gre.ToArray();
        var verdict = recovered.Handle(replayed, Dissect(replayed), Direction.Inbound, calls.Gateway.Gateway.Settings, calls.Gateway.Now, []);

        Assert.Equal((VerdictAction.Forward, Side.Inside, InsideB), (verdict.Action, verdict.Side, verdict.Inside));
        VpnMasq.Protocols.Rewriting.PacketRewriter.DecrementTtl(replayed.AsSpan(14)); // the gateway front forwards as a router
        Assert.Equal(live, replayed);
    }
}
