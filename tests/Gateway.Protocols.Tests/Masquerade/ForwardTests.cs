using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Masquerade.Pptp;
using static VpnMasq.Protocols.Tests.Masquerade.Pptp.PptpClient;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade;

// DESIGN §3.5, HOWTO §3.8: port forwards (ipportfw) and protocol forwards (ipfwd) reach a VPN
// server behind the gateway — and, beyond the HOWTO, alongside inside PPTP clients.
public sealed class ForwardTests
{
    private const ushort RemoteClientPort = 2000;
    private const ushort ServerCallId = 5;

    private static GatewayUnderTest PptpServerAt10002() => GatewayUnderTest.Create(o => o with
    {
        PortForwards = [new PortForward(IpProtocol.Tcp, 1723, InsideA, 1723)],
        ProtocolForwards = [new ProtocolForward(IpProtocol.Gre, InsideA)],
    });

    /// <summary>
    /// 10.0.0.3 calls Remote's PPTP server with Call ID 5 (it keeps 5 outside), then Remote calls the
    /// inside server, whose Outgoing-Call-Reply carries its own Call ID 5 too. Returns both outside IDs.
    /// </summary>
    private static (GatewayUnderTest Gateway, ushort ClientOutside, ushort ServerOutside) ClientAndServerCalls()
    {
        var gateway = PptpServerAt10002();
        ushort clientOutside = new PptpClient(gateway, InsideB, 1030).PlaceCall(ServerCallId, 0x4001);
        var server = new TcpConversation(gateway, InsideA, 1723, Remote, RemoteClientPort, publicPort: 1723).Accept();
        server.RemoteSends(PptpMessage(PptpControlType.StartControlConnectionRequest));
        server.InsideSends(PptpMessage(PptpControlType.StartControlConnectionReply));
        server.RemoteSends(PptpMessage(PptpControlType.OutgoingCallRequest, 0x0A00));
        var reply = server.InsideSends(PptpMessage(PptpControlType.OutgoingCallReply, ServerCallId, 0x0A00, resultCode: 1)).Outside;
        return (gateway, clientOutside, CallIdField(reply));
    }

    [Fact]
    public void PortForward_Tcp1723_SynReachesInsideServer_RepliesLeaveFromPublicPort()
    {
        var gateway = PptpServerAt10002();
        var server = new TcpConversation(gateway, InsideA, 1723, Remote, RemoteClientPort, publicPort: 1723);

        var syn = Dissect(server.FromRemote(TcpFlags.Syn).Inside);
        var synAck = Dissect(server.FromInside(TcpFlags.Syn | TcpFlags.Ack).Outside);

        Assert.Equal((InsideA, (ushort)1723), (syn.Destination, syn.DestinationPort));
        Assert.Equal((Public, (ushort)1723, Remote, RemoteClientPort), (synAck.Source, synAck.SourcePort, synAck.Destination, synAck.DestinationPort));
    }

    [Fact]
    public void InsidePptpServer_OutgoingCallReplyCallIdIsMasqueraded_ClientsGreReachesServer()
    {
        var (gateway, clientOutside, serverOutside) = ClientAndServerCalls();

        var gre = gateway.Send(GreFrame(Remote, Public, serverOutside)).Inside;

        Assert.NotEqual(clientOutside, serverOutside);
        Assert.Equal((InsideA, ServerCallId), (Dissect(gre).Destination, GreCallId(gre)));
    }

    [Fact]
    public void InsideServerAndInsideClient_SameRemote_GreByClientCallKeyGoesToClient_OtherGreToForwardTarget()
    {
        var (gateway, clientOutside, _) = ClientAndServerCalls();

        var toClient = gateway.Send(GreFrame(Remote, Public, clientOutside)).Inside;
        var unknown = gateway.Send(GreFrame(Remote, Public, 0x1234)).Inside;

        Assert.Equal((InsideB, ServerCallId), (Dissect(toClient).Destination, GreCallId(toClient)));
        Assert.Equal((InsideA, (ushort)0x1234), (Dissect(unknown).Destination, GreCallId(unknown)));
    }

    [Fact]
    public void PortForward_Udp500_ReachesInsideIpsecResponder_ReplyLeavesFromPublic500()
    {
        var gateway = GatewayUnderTest.Create(o => o with { PortForwards = [new PortForward(IpProtocol.Udp, 500, InsideA, 500)] });

        var request = Dissect(gateway.Send(UdpFrame(Remote, 500, Public, 500, IsakmpMessage(0x1111, 0))).Inside);
        var response = Dissect(gateway.Send(UdpFrame(InsideA, 500, Remote, 500, IsakmpMessage(0x1111, 0x2222))).Outside);

        Assert.Equal((InsideA, (ushort)500), (request.Destination, request.DestinationPort));
        Assert.Equal((Public, (ushort)500), (response.Source, response.SourcePort));
    }

    [Fact]
    public void ProtocolForward_Esp_ReachesInsideServer_ReplyLeavesFromPublicAddress()
    {
        var gateway = GatewayUnderTest.Create(o => o with { ProtocolForwards = [new ProtocolForward(IpProtocol.Esp, InsideA)] });

        var inbound = Dissect(gateway.Send(EspFrame(Remote, Public, 0xA1A1A1A1)).Inside);
        var outbound = Dissect(gateway.Send(EspFrame(InsideA, Remote, 0xB2B2B2B2)).Outside);

        Assert.Equal(InsideA, inbound.Destination);
        Assert.Equal(Public, outbound.Source);
    }

    [Fact]
    public void InboundPrecedence_ExactMappingBeforePortForward()
    {
        // The forward target's own traffic may use the forwarded public port; its replies follow that mapping.
        var gateway = GatewayUnderTest.Create(o => o with { PortForwards = [new PortForward(IpProtocol.Udp, 5060, InsideA, 5070)] });
        gateway.Send(UdpFrame(InsideA, 5060, Remote, 5060));

        var mapped = Dissect(gateway.Send(UdpFrame(Remote, 5060, Public, 5060)).Inside);
        var forwarded = Dissect(gateway.Send(UdpFrame(Remote, 6000, Public, 5060)).Inside);

        Assert.Equal((InsideA, (ushort)5060), (mapped.Destination, mapped.DestinationPort));
        Assert.Equal((InsideA, (ushort)5070), (forwarded.Destination, forwarded.DestinationPort));
    }
}
