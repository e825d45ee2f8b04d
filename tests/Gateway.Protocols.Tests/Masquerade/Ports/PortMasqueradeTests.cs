using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Ports;

// DESIGN §3.1: TCP, UDP and ICMP queries leave from the public address, keeping the source port
// (or identifier) when it is free towards that remote endpoint; replies are rewritten back.
public sealed class PortMasqueradeTests
{
    [Fact]
    public void Tcp_FromInside_LeavesFromPublicAddressKeepingFreeSourcePort_ReplyRewrittenBack()
    {
        var gateway = GatewayUnderTest.Create();
        var tcp = new TcpConversation(gateway, InsideA, 3000, Remote, 80);

        var syn = Dissect(tcp.FromInside(TcpFlags.Syn).Outside);
        var synAck = Dissect(tcp.FromRemote(TcpFlags.Syn | TcpFlags.Ack).Inside);

        Assert.Equal((Public, (ushort)3000, Remote, (ushort)80), (syn.Source, syn.SourcePort, syn.Destination, syn.DestinationPort));
        Assert.Equal((Remote, (ushort)80, InsideA, (ushort)3000), (synAck.Source, synAck.SourcePort, synAck.Destination, synAck.DestinationPort));
    }

    [Fact]
    public void Udp_FromInside_LeavesFromPublicAddressKeepingFreeSourcePort_ReplyRewrittenBack()
    {
        var gateway = GatewayUnderTest.Create();

        var query = Dissect(gateway.Send(UdpFrame(InsideA, 5000, Remote, 53, [1, 2, 3])).Outside);
        var answer = Dissect(gateway.Send(UdpFrame(Remote, 53, Public, 5000, [4, 5, 6, 7])).Inside);

        Assert.Equal((Public, (ushort)5000, Remote, (ushort)53), (query.Source, query.SourcePort, query.Destination, query.DestinationPort));
        Assert.Equal((Remote, (ushort)53, InsideA, (ushort)5000), (answer.Source, answer.SourcePort, answer.Destination, answer.DestinationPort));
    }

    [Fact]
    public void IcmpEcho_FromInside_LeavesFromPublicAddressKeepingIdentifier_ReplyRewrittenBack()
    {
        var gateway = GatewayUnderTest.Create();

        var request = Dissect(gateway.Send(EchoFrame(InsideA, Remote, IcmpType.EchoRequest, 0x77)).Outside);
        var reply = Dissect(gateway.Send(EchoFrame(Remote, Public, IcmpType.EchoReply, 0x77)).Inside);

        Assert.Equal((Public, (ushort)0x77), (request.Source, request.IcmpIdentifier));
        Assert.Equal((InsideA, (ushort)0x77), (reply.Destination, reply.IcmpIdentifier));
    }

    [Fact]
    public void SourcePortTakenTowardsSameRemoteEndpoint_GetsAnotherPort_RepliesReachEachHost()
    {
        var gateway = GatewayUnderTest.Create();
        ushort portA = Dissect(gateway.Send(UdpFrame(InsideA, 5000, Remote, 53)).Outside).SourcePort;
        ushort portB = Dissect(gateway.Send(UdpFrame(InsideB, 5000, Remote, 53)).Outside).SourcePort;

        var toA = Dissect(gateway.Send(UdpFrame(Remote, 53, Public, portA)).Inside);
        var toB = Dissect(gateway.Send(UdpFrame(Remote, 53, Public, portB)).Inside);

        Assert.Equal((ushort)5000, portA);
        Assert.NotEqual(portA, portB);
        Assert.Equal((InsideA, (ushort)5000), (toA.Destination, toA.DestinationPort));
        Assert.Equal((InsideB, (ushort)5000), (toB.Destination, toB.DestinationPort));
    }

    [Fact]
    public void SourcePortTakenTowardsAnotherRemotePort_IsKept()
    {
        var gateway = GatewayUnderTest.Create();
        gateway.Send(UdpFrame(InsideA, 5000, Remote, 53));

        var other = Dissect(gateway.Send(UdpFrame(InsideB, 5000, Remote, 123)).Outside);

        Assert.Equal((ushort)5000, other.SourcePort);
    }

    [Fact]
    public void IcmpIdentifierTaken_GetsAnotherIdentifier_RepliesReachEachHost()
    {
        var gateway = GatewayUnderTest.Create();
        ushort idA = Dissect(gateway.Send(EchoFrame(InsideA, Remote, IcmpType.EchoRequest, 0x77)).Outside).IcmpIdentifier;
        ushort idB = Dissect(gateway.Send(EchoFrame(InsideB, Remote, IcmpType.EchoRequest, 0x77)).Outside).IcmpIdentifier;

        var toB = Dissect(gateway.Send(EchoFrame(Remote, Public, IcmpType.EchoReply, idB)).Inside);

        Assert.NotEqual(idA, idB);
        Assert.Equal((InsideB, (ushort)0x77), (toB.Destination, toB.IcmpIdentifier));
    }

    [Fact]
    public void Tcp_FromSourcePort1723ToAWebServer_IsPlainTcpNotPptp()
    {
        // Old Windows stacks pick ephemeral ports from 1024-5000, so 1723 can be an ordinary client's source port.
        var gateway = GatewayUnderTest.Create();
        var web = new TcpConversation(gateway, InsideA, 1723, Remote, 80).Open();

        var request = web.InsideSends("GET / HTTP/1.0\r\n\r\n"u8.ToArray());

        Assert.Equal(Public, Dissect(request.Outside).Source);
    }
}
