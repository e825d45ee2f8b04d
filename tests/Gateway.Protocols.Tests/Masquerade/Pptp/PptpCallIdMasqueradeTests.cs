using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.Pptp.PptpClient;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Pptp;

// DESIGN §3.4, HOWTO §2.6: Call-ID masquerade lets many inside clients use one PPTP server at once.
public sealed class PptpCallIdMasqueradeTests
{
    [Fact]
    public void OutgoingCallRequest_SameCallIdFromTwoClients_GetsDistinctOutsideCallIds()
    {
        var gateway = GatewayUnderTest.Create();
        var a = new PptpClient(gateway, InsideA, 1025);
        var b = new PptpClient(gateway, InsideB, 1026);

        ushort outsideA = CallIdField(a.Tcp.InsideSends(PptpMessage(PptpControlType.OutgoingCallRequest, 5)).Outside);
        ushort outsideB = CallIdField(b.Tcp.InsideSends(PptpMessage(PptpControlType.OutgoingCallRequest, 5)).Outside);

        Assert.NotEqual(outsideA, outsideB);
    }

    [Fact]
    public void OutgoingCallReply_FromServer_PeerCallIdTranslatedBackForEachClient()
    {
        var gateway = GatewayUnderTest.Create();
        var a = new PptpClient(gateway, InsideA, 1025);
        var b = new PptpClient(gateway, InsideB, 1026);
        ushort outsideA = CallIdField(a.Tcp.InsideSends(PptpMessage(PptpControlType.OutgoingCallRequest, 5)).Outside);
        ushort outsideB = CallIdField(b.Tcp.InsideSends(PptpMessage(PptpControlType.OutgoingCallRequest, 5)).Outside);

        var replyA = a.Tcp.RemoteSends(PptpMessage(PptpControlType.OutgoingCallReply, 0x4001, outsideA, resultCode: 1)).Inside;
        var replyB = b.Tcp.RemoteSends(PptpMessage(PptpControlType.OutgoingCallReply, 0x4002, outsideB, resultCode: 1)).Inside;

        Assert.Equal((InsideA, (ushort)5, (ushort)0x4001), (Dissect(replyA).Destination, PeerCallIdField(replyA), CallIdField(replyA)));
        Assert.Equal((InsideB, (ushort)5, (ushort)0x4002), (Dissect(replyB).Destination, PeerCallIdField(replyB), CallIdField(replyB)));
    }

    [Fact]
    public void Gre_FromServerKeyedByMasqueradedCallId_GoesToItsClientWithClientsCallId()
    {
        var calls = new TwoPptpClients();

        var toA = calls.GreFromServer(calls.OutsideCallIdA).Inside;
        var toB = calls.GreFromServer(calls.OutsideCallIdB).Inside;

        Assert.Equal((InsideA, TwoPptpClients.ClientCallId), (Dissect(toA).Destination, GreCallId(toA)));
        Assert.Equal((InsideB, TwoPptpClients.ClientCallId), (Dissect(toB).Destination, GreCallId(toB)));
    }

    [Fact]
    public void Gre_FromClient_LeavesWithPublicSourceAndServersCallIdKept()
    {
        var calls = new TwoPptpClients();

        var sent = calls.Gateway.Send(GreFrame(InsideB, Remote, calls.ServerCallIdB)).Outside;

        Assert.Equal((Public, Remote, calls.ServerCallIdB), (Dissect(sent).Source, Dissect(sent).Destination, GreCallId(sent)));
    }

    [Fact]
    public void CallClearRequest_FromClient_CallIdTranslated()
    {
        var calls = new TwoPptpClients();

        var sent = calls.B.Tcp.InsideSends(PptpMessage(PptpControlType.CallClearRequest, TwoPptpClients.ClientCallId)).Outside;

        Assert.Equal(calls.OutsideCallIdB, CallIdField(sent));
    }

    [Fact]
    public void CallDisconnectNotify_FromServer_ServersOwnCallIdPassesUnchangedAndMappingIsRemoved()
    {
        // The server's own Call ID equals the masqueraded one: a gateway translating the wrong field would change it.
        var gateway = GatewayUnderTest.Create();
        _ = new PptpClient(gateway, InsideA, 1025).PlaceCall(5, 0x4001);
        var b = new PptpClient(gateway, InsideB, 1026);
        ushort outsideB = CallIdField(b.Tcp.InsideSends(PptpMessage(PptpControlType.OutgoingCallRequest, 5)).Outside);
        b.Tcp.RemoteSends(PptpMessage(PptpControlType.OutgoingCallReply, outsideB, outsideB, resultCode: 1));

        var notify = b.Tcp.RemoteSends(PptpMessage(PptpControlType.CallDisconnectNotify, outsideB)).Inside;
        var gre = gateway.Send(GreFrame(Remote, Public, outsideB));

        Assert.Equal(outsideB, CallIdField(notify));
        gre.AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void WanErrorNotify_FromServer_PeerCallIdTranslated()
    {
        var calls = new TwoPptpClients();

        var notify = calls.B.Tcp.RemoteSends(PptpMessage(PptpControlType.WanErrorNotify, peerCallId: calls.OutsideCallIdB)).Inside;

        Assert.Equal(TwoPptpClients.ClientCallId, CallIdField(notify));
    }

    [Fact]
    public void SetLinkInfo_FromClient_ServersCallIdPassesUnchanged()
    {
        // The server's Call ID equals the client's own: translating it as the client's would change it.
        var calls = new TwoPptpClients(serverCallIdB: TwoPptpClients.ClientCallId);

        var sent = calls.B.Tcp.InsideSends(PptpMessage(PptpControlType.SetLinkInfo, peerCallId: TwoPptpClients.ClientCallId)).Outside;

        Assert.Equal(TwoPptpClients.ClientCallId, CallIdField(sent));
    }

    [Fact]
    public void StopControlConnection_RemovesAllCallsOfThatConnectionOnly()
    {
        var calls = new TwoPptpClients();
        ushort second = calls.B.PlaceCall(6, 0x4003);

        calls.B.Tcp.InsideSends(PptpMessage(PptpControlType.StopControlConnectionRequest));
        calls.B.Tcp.RemoteSends(PptpMessage(PptpControlType.StopControlConnectionReply));

        calls.GreFromServer(calls.OutsideCallIdB).AssertDropped(DropReason.NoMapping);
        calls.GreFromServer(second).AssertDropped(DropReason.NoMapping);
        Assert.Equal(InsideA, Dissect(calls.GreFromServer(calls.OutsideCallIdA).Inside).Destination);
    }

    [Fact]
    public void ControlConnection_FinBothWays_RemovesItsCalls()
    {
        var calls = new TwoPptpClients();

        calls.B.Tcp.FromInside(TcpFlags.Fin | TcpFlags.Ack);
        calls.B.Tcp.FromRemote(TcpFlags.Fin | TcpFlags.Ack);

        calls.GreFromServer(calls.OutsideCallIdB).AssertDropped(DropReason.NoMapping);
        Assert.Equal(InsideA, Dissect(calls.GreFromServer(calls.OutsideCallIdA).Inside).Destination);
    }

    [Fact]
    public void ControlConnection_Rst_RemovesItsCalls()
    {
        var calls = new TwoPptpClients();

        calls.B.Tcp.FromRemote(TcpFlags.Rst);

        calls.GreFromServer(calls.OutsideCallIdB).AssertDropped(DropReason.NoMapping);
        Assert.Equal(InsideA, Dissect(calls.GreFromServer(calls.OutsideCallIdA).Inside).Destination);
    }

    [Fact]
    public void ControlConnection_TimesOut_SweepRemovesItsCalls()
    {
        var calls = TwoPptpClientsWhereOnlyBsControlConnectionTimedOut();

        var removed = calls.Gateway.Gateway.Sweep(calls.Gateway.Now);

        Assert.Contains(removed, r => r.Peer == Remote && r.Event is PptpCallUnmapped { Cause: RemovalCause.Expired } e && e.MasqueradedCallId == calls.OutsideCallIdB);
        calls.GreFromServer(calls.OutsideCallIdB).AssertDropped(DropReason.NoMapping);
        Assert.Equal(InsideA, Dissect(calls.GreFromServer(calls.OutsideCallIdA).Inside).Destination);
    }

    [Fact]
    public void ControlConnection_TimedOut_ItsMasqueradedCallIdIsFreeForANewCall()
    {
        // A still holds Call ID 5 outside, so B's call got the next one; once B's is gone, a third client's call with 5 gets it.
        var insideC = Ipv4Address.Parse("10.0.0.4");
        var calls = TwoPptpClientsWhereOnlyBsControlConnectionTimedOut();
        calls.Gateway.Gateway.Sweep(calls.Gateway.Now);

        ushort reused = new PptpClient(calls.Gateway, insideC, 1027).PlaceCall(TwoPptpClients.ClientCallId, 0x4004);
        var gre = calls.GreFromServer(calls.OutsideCallIdB).Inside;

        Assert.Equal(calls.OutsideCallIdB, reused);
        Assert.Equal((insideC, TwoPptpClients.ClientCallId), (Dissect(gre).Destination, GreCallId(gre)));
    }

    /// <summary>
    /// Both clients placed their calls at 0; A's control connection sends an Echo-Request halfway, B's stays idle
    /// until the clock is past its established-TCP lifetime (DESIGN §3.4: mappings go when it times out).
    /// </summary>
    private static TwoPptpClients TwoPptpClientsWhereOnlyBsControlConnectionTimedOut()
    {
        var calls = new TwoPptpClients();
        var lifetime = new PortOptions().TcpEstablishedLifetime;
        calls.Gateway.Now = lifetime / 2;
        calls.A.Tcp.InsideSends(PptpMessage(PptpControlType.EchoRequest));
        calls.Gateway.Now = lifetime + TimeSpan.FromSeconds(1);
        return calls;
    }
}
