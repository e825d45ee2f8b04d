using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade;

// DESIGN §3.1, second tier: what the remote's state implies about inside clients talking to it (an
// outstanding ESP init, the latest rekeyer, the latest ISAKMP speaker) comes before port and protocol
// forwards. InsideA is the VPN server behind the forwards; InsideB is a client talking to Remote.
// The first tier (an exact mapping) is ForwardTests.InboundPrecedence_ExactMappingBeforePortForward.
public sealed class InboundPrecedenceTests
{
    private const uint ClientSpi = 0x1001;
    private const uint ReplySpi = 0x2001;
    private const uint RemoteRekeySpi = 0x3001;
    private const ulong ClientCookie = 0x1111_1111_1111_1111;
    private const ulong ResponderCookie = 0x2222_2222_2222_2222;
    private const ulong RemoteCookie = 0x3333_3333_3333_3333;

    private static readonly uint OtherRemote = Ipv4Address.Parse("199.0.0.9");

    private static GatewayUnderTest EspServerAt10002() =>
        GatewayUnderTest.Create(o => o with { ProtocolForwards = [new ProtocolForward(IpProtocol.Esp, InsideA)] });

    private static GatewayUnderTest IsakmpServerAt10002() =>
        GatewayUnderTest.Create(o => o with { PortForwards = [new PortForward(IpProtocol.Udp, 500, InsideA, 500)] });

    private static byte[] IsakmpFromRemote(ulong initiatorCookie, ulong responderCookie) =>
        UdpFrame(Remote, 500, Public, 500, IsakmpMessage(initiatorCookie, responderCookie));

    [Fact]
    public void InboundPrecedence_OutstandingEspInitBeforeProtocolForward()
    {
        var gateway = EspServerAt10002();
        gateway.Send(EspFrame(InsideB, Remote, ClientSpi));

        var reply = gateway.Send(EspFrame(Remote, Public, ReplySpi)).Inside;

        Assert.Equal(InsideB, Dissect(reply).Destination);
    }

    [Fact]
    public void InboundPrecedence_LatestRekeyerBeforeProtocolForward()
    {
        var gateway = EspServerAt10002();
        gateway.Send(EspFrame(InsideB, Remote, ClientSpi));
        gateway.Send(EspFrame(Remote, Public, ReplySpi));

        var rekey = gateway.Send(EspFrame(Remote, Public, RemoteRekeySpi)).Inside;

        Assert.Equal(InsideB, Dissect(rekey).Destination);
    }

    [Fact]
    public void InboundPrecedence_OutstandingEspInitExpired_ProtocolForwardApplies()
    {
        var gateway = EspServerAt10002();
        gateway.Send(EspFrame(InsideB, Remote, ClientSpi));

        gateway.Now += new EspOptions().InitLifetime + TimeSpan.FromSeconds(1);
        var late = gateway.Send(EspFrame(Remote, Public, ReplySpi)).Inside;

        Assert.Equal(InsideA, Dissect(late).Destination);
    }

    [Fact]
    public void InboundPrecedence_RekeyersEntryExpired_ProtocolForwardApplies()
    {
        var gateway = EspServerAt10002();
        gateway.Send(EspFrame(InsideB, Remote, ClientSpi));
        gateway.Send(EspFrame(Remote, Public, ReplySpi));
        new TcpConversation(gateway, InsideB, 3000, Remote, 443).Open();   // keeps the remote's state alive

        gateway.Now += new EspOptions().TableLifetime + TimeSpan.FromSeconds(1);
        gateway.Gateway.Sweep(gateway.Now);
        var fresh = gateway.Send(EspFrame(Remote, Public, RemoteRekeySpi)).Inside;

        Assert.Equal(InsideA, Dissect(fresh).Destination);
    }

    [Fact]
    public void InboundPrecedence_NoEspInitOrRekeyerWithThisRemote_EspGoesToProtocolForward()
    {
        // The client's init is to another remote, and ISAKMP state with this one says nothing about ESP.
        var gateway = EspServerAt10002();
        gateway.Send(EspFrame(InsideB, OtherRemote, ClientSpi));
        gateway.Send(UdpFrame(InsideB, 500, Remote, 500, IsakmpMessage(ClientCookie, 0)));

        var inbound = gateway.Send(EspFrame(Remote, Public, ReplySpi)).Inside;

        Assert.Equal(InsideA, Dissect(inbound).Destination);
    }

    [Fact]
    public void InboundPrecedence_IsakmpCookiesBeforePortForward()
    {
        var gateway = IsakmpServerAt10002();
        gateway.Send(UdpFrame(InsideB, 500, Remote, 500, IsakmpMessage(ClientCookie, 0)));

        var first = gateway.Send(IsakmpFromRemote(ClientCookie, ResponderCookie)).Inside;
        gateway.Send(UdpFrame(InsideB, 500, Remote, 500, IsakmpMessage(ClientCookie, ResponderCookie)));
        var next = gateway.Send(IsakmpFromRemote(ClientCookie, ResponderCookie)).Inside;

        Assert.Equal((InsideB, (ushort)500), (Dissect(first).Destination, Dissect(first).DestinationPort));
        Assert.Equal(InsideB, Dissect(next).Destination);
    }

    [Fact]
    public void InboundPrecedence_LatestIsakmpSpeakerBeforePortForward()
    {
        var gateway = IsakmpServerAt10002();
        gateway.Send(UdpFrame(InsideB, 500, Remote, 500, IsakmpMessage(ClientCookie, 0)));
        gateway.Send(IsakmpFromRemote(ClientCookie, ResponderCookie));

        var remoteStarts = gateway.Send(IsakmpFromRemote(RemoteCookie, 0)).Inside;

        Assert.Equal((InsideB, (ushort)500), (Dissect(remoteStarts).Destination, Dissect(remoteStarts).DestinationPort));
    }

    [Fact]
    public void InboundPrecedence_LatestIsakmpSpeakersExchangesExpired_PortForwardApplies()
    {
        var gateway = IsakmpServerAt10002();
        gateway.Send(UdpFrame(InsideB, 500, Remote, 500, IsakmpMessage(ClientCookie, 0)));
        gateway.Send(IsakmpFromRemote(ClientCookie, ResponderCookie));
        new TcpConversation(gateway, InsideB, 3000, Remote, 443).Open();   // keeps the remote's state alive

        gateway.Now += new IsakmpOptions().Lifetime + TimeSpan.FromSeconds(1);
        gateway.Gateway.Sweep(gateway.Now);
        var remoteStarts = gateway.Send(IsakmpFromRemote(RemoteCookie, 0)).Inside;

        Assert.Equal(InsideA, Dissect(remoteStarts).Destination);
    }

    [Fact]
    public void InboundPrecedence_NoIsakmpStateWithThisRemote_IsakmpGoesToPortForward()
    {
        // The client spoke ISAKMP with another remote, and its outstanding ESP init says nothing about ISAKMP.
        var gateway = IsakmpServerAt10002();
        gateway.Send(UdpFrame(InsideB, 500, OtherRemote, 500, IsakmpMessage(ClientCookie, 0)));
        gateway.Send(EspFrame(InsideB, Remote, ClientSpi));

        var remoteStarts = gateway.Send(IsakmpFromRemote(RemoteCookie, 0)).Inside;

        Assert.Equal(InsideA, Dissect(remoteStarts).Destination);
    }
}
