using VpnMasq.Protocols.Masquerade.Flows;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Pptp;

// pptpd gives its first call Call ID 0: a valid ID (RFC 2637 reserves none), not "not known yet".
public sealed class PptpServerCallIdZeroTests
{
    [Fact]
    public void ServerCallIdZero_IsLearned_SoTheCallsOutboundGreIsAnEstablishedFlow()
    {
        var gateway = GatewayUnderTest.Create();
        var client = new PptpClient(gateway, InsideA, 1025);

        client.PlaceCall(callId: 5, serverCallId: 0);

        var call = Assert.Single(gateway.Gateway.Peers[Remote].Calls.Calls);
        Assert.True(call.PeerCallIdKnown);
        Assert.Equal(0, call.PeerCallId);
        var gre = Assert.Single(gateway.Gateway.Peers[Remote].EstablishedFlows(), f => f.Kind == FlowKind.Gre);
        Assert.True(gre.OutboundCached, "GRE to the server's Call ID 0 must not wait for the owner");
    }

    [Fact]
    public void ServerCallIdZero_SurvivesASnapshot()
    {
        var gateway = GatewayUnderTest.Create();
        new PptpClient(gateway, InsideA, 1025).PlaceCall(callId: 5, serverCallId: 0);
        var live = gateway.Gateway.Peers[Remote];

        var restored = new VpnMasq.Protocols.Masquerade.PeerState(Remote, gateway.Gateway.Settings.Options);
        restored.Restore(live.TakeSnapshot());

        Assert.True(Assert.Single(restored.Calls.Calls).PeerCallIdKnown);
    }
}
