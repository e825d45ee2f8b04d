using CsCheck;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Masquerade.Pptp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Flows;

// DESIGN §1 "Established flows never wait for an owner": a node's flow cache translates the next frame
// of an established flow byte for byte as the peer's owner would, and the owner's table is left as it was.
// Where a flow can move its port, identifier or Call ID, a second host takes the first one's, so the
// cache has a real rewrite to get right.
public sealed class FlowIndexTests
{
    private const ulong CookieA = 0xA1A1_A1A1_A1A1_A1A1;
    private const ulong CookieB = 0xB2B2_B2B2_B2B2_B2B2;
    private const ulong ResponderA = 0x0A0A_0A0A_0A0A_0A0A;
    private const ulong ResponderB = 0x0B0B_0B0B_0B0B_0B0B;

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    [Theory]
    [InlineData(Direction.Outbound)]
    [InlineData(Direction.Inbound)]
    public void EstablishedEspFlow_IsTranslatedByTheCacheExactlyAsByTheOwner(Direction direction)
    {
        var x = new OwnerAndCache();
        x.Establish(Ike.EspOut(Ike.HostA, 0x1001));
        x.Gateway.Now = At(1);
        x.Establish(Ike.EspIn(0x2001));
        x.Publish();
        x.Gateway.Now = At(2);

        var (sent, _) = x.AssertTranslatedAsByTheOwner(
            direction == Direction.Outbound ? Ike.EspOut(Ike.HostA, 0x1001, 2) : Ike.EspIn(0x2001, 2), direction);

        Assert.Equal(direction == Direction.Outbound ? Public : InsideA,
            direction == Direction.Outbound ? Dissect(sent).Source : Dissect(sent).Destination);
    }

    [Theory]
    [InlineData(Direction.Outbound, 1)]
    [InlineData(Direction.Inbound, 1)]
    [InlineData(Direction.Outbound, 2)]
    [InlineData(Direction.Inbound, 2)]
    public void EstablishedIsakmpExchange_IsTranslatedByTheCacheExactlyAsByTheOwner(Direction direction, byte version)
    {
        var x = new OwnerAndCache();
        x.Establish(Ike.IsakmpOut(Ike.HostA, CookieA, version: version));
        x.Gateway.Now = At(1);
        x.Establish(Ike.IsakmpIn(CookieA, ResponderA, version));
        x.Publish();
        x.Gateway.Now = At(2);

        var (sent, _) = x.AssertTranslatedAsByTheOwner(direction == Direction.Outbound
            ? Ike.IsakmpOut(Ike.HostA, CookieA, ResponderA, version)
            : Ike.IsakmpIn(CookieA, ResponderA, version), direction);

        var d = Dissect(sent);
        Assert.Equal((FrameDissector.IsakmpPort, FrameDissector.IsakmpPort), (d.SourcePort, d.DestinationPort));
        Assert.Equal(direction == Direction.Outbound ? Public : InsideA, direction == Direction.Outbound ? d.Source : d.Destination);
    }

    [Theory]
    [InlineData(Direction.Outbound)]
    [InlineData(Direction.Inbound)]
    public void UdpMappingWithAMovedPublicPort_IsTranslatedByTheCacheExactlyAsByTheOwner(Direction direction)
    {
        var x = new OwnerAndCache();
        x.Establish(UdpFrame(InsideA, 5000, Remote, 53, [1]));
        ushort portB = Dissect(x.Establish(UdpFrame(InsideB, 5000, Remote, 53, [2]))).SourcePort;
        x.Publish();

        var (sent, _) = x.AssertTranslatedAsByTheOwner(direction == Direction.Outbound
            ? UdpFrame(InsideB, 5000, Remote, 53, [3, 4, 5])
            : UdpFrame(Remote, 53, Public, portB, [6, 7, 8]), direction);

        var d = Dissect(sent);
        Assert.NotEqual((ushort)5000, portB);
        Assert.Equal(direction == Direction.Outbound ? (Public, portB) : (InsideB, (ushort)5000),
            direction == Direction.Outbound ? (d.Source, d.SourcePort) : (d.Destination, d.DestinationPort));
    }

    [Theory]
    [InlineData("esp", Direction.Outbound)]
    [InlineData("esp", Direction.Inbound)]
    [InlineData("keepalive", Direction.Outbound)]
    [InlineData("ike", Direction.Outbound)]
    [InlineData("ike", Direction.Inbound)]
    public void NatTraversalOn4500_IsTranslatedByTheCacheExactlyAsByTheOwner(string payload, Direction direction)
    {
        // A holds public port 4500 towards the remote's 4500, so B's IKE, ESP and keepalives leave from another.
        var x = new OwnerAndCache();
        x.Establish(Ike.NatTIsakmpOut(Ike.HostA, CookieA));
        ushort portB = Dissect(x.Establish(Ike.NatTIsakmpOut(Ike.HostB, CookieB))).SourcePort;
        x.Gateway.Now = At(1);
        x.Establish(Ike.NatTIsakmpIn(portB, CookieB, ResponderB));
        x.Publish();
        var frame = (payload, direction) switch
        {
            ("esp", Direction.Outbound) => Ike.NatTEspOut(Ike.HostB, 0x3001),
            ("esp", _) => Ike.NatTEspIn(portB, 0x4001),
            ("keepalive", _) => Ike.NatTKeepaliveOut(Ike.HostB),
            (_, Direction.Outbound) => Ike.NatTIsakmpOut(Ike.HostB, CookieB, ResponderB),
            _ => Ike.NatTIsakmpIn(portB, CookieB, ResponderB),
        };

        var (sent, _) = x.AssertTranslatedAsByTheOwner(frame, direction);

        var d = Dissect(sent);
        Assert.NotEqual(NatTraversal.Port, portB);
        Assert.Equal(direction == Direction.Outbound ? (Public, portB) : (InsideB, NatTraversal.Port),
            direction == Direction.Outbound ? (d.Source, d.SourcePort) : (d.Destination, d.DestinationPort));
    }

    [Theory]
    [InlineData(Direction.Outbound, true)]
    [InlineData(Direction.Inbound, true)]
    [InlineData(Direction.Outbound, false)]
    [InlineData(Direction.Inbound, false)]
    public void EstablishedTcpConnection_IsTranslatedByTheCacheExactlyAsByTheOwner(Direction direction, bool withData)
    {
        var x = new OwnerAndCache();
        new TcpConversation(x.Gateway, InsideA, 3000, Remote, 80).Open();
        var b = new TcpConversation(x.Gateway, InsideB, 3000, Remote, 80).Open();
        x.Publish();
        var flags = withData ? TcpFlags.Psh | TcpFlags.Ack : TcpFlags.Ack;
        byte[] data = withData ? [0x47, 0x45, 0x54, 0x20, 0x2F] : [];

        var (sent, _) = x.AssertTranslatedAsByTheOwner(
            direction == Direction.Outbound ? b.InsideSegment(flags, data) : b.RemoteSegment(flags, data), direction);

        var d = Dissect(sent);
        Assert.NotEqual((ushort)3000, b.PublicPort);
        Assert.Equal(direction == Direction.Outbound ? (Public, b.PublicPort) : (InsideB, (ushort)3000),
            direction == Direction.Outbound ? (d.Source, d.SourcePort) : (d.Destination, d.DestinationPort));
    }

    [Theory]
    [InlineData(Direction.Outbound)]
    [InlineData(Direction.Inbound)]
    public void IcmpEchoWithAMovedIdentifier_IsTranslatedByTheCacheExactlyAsByTheOwner(Direction direction)
    {
        var x = new OwnerAndCache();
        x.Establish(EchoFrame(InsideA, Remote, IcmpType.EchoRequest, 0x77));
        ushort idB = Dissect(x.Establish(EchoFrame(InsideB, Remote, IcmpType.EchoRequest, 0x77))).IcmpIdentifier;
        x.Publish();

        var (sent, _) = x.AssertTranslatedAsByTheOwner(direction == Direction.Outbound
            ? EchoFrame(InsideB, Remote, IcmpType.EchoRequest, 0x77, 2)
            : EchoFrame(Remote, Public, IcmpType.EchoReply, idB, 2), direction);

        var d = Dissect(sent);
        Assert.NotEqual((ushort)0x77, idB);
        Assert.Equal(direction == Direction.Outbound ? (Public, idB) : (InsideB, (ushort)0x77),
            direction == Direction.Outbound ? (d.Source, d.IcmpIdentifier) : (d.Destination, d.IcmpIdentifier));
    }

    [Fact]
    public void GreV1Inbound_KeyIsRewrittenToTheClientsCallId_ByTheCacheExactlyAsByTheOwner()
    {
        var calls = new TwoPptpClients();
        var x = new OwnerAndCache(calls.Gateway);
        x.Publish();

        var (sent, _) = x.AssertTranslatedAsByTheOwner(GreFrame(Remote, Public, calls.OutsideCallIdB, 2), Direction.Inbound);

        Assert.NotEqual(TwoPptpClients.ClientCallId, calls.OutsideCallIdB);
        Assert.Equal((InsideB, TwoPptpClients.ClientCallId), (Dissect(sent).Destination, Dissect(sent).GreCallId));
    }

    [Fact]
    public void GreV1Outbound_IsTranslatedByTheCacheExactlyAsByTheOwner()
    {
        var calls = new TwoPptpClients();
        var x = new OwnerAndCache(calls.Gateway);
        x.Publish();

        var (sent, _) = x.AssertTranslatedAsByTheOwner(GreFrame(InsideB, Remote, calls.ServerCallIdB, 2), Direction.Outbound);

        Assert.Equal((Public, calls.ServerCallIdB), (Dissect(sent).Source, Dissect(sent).GreCallId));
    }

    [Fact]
    public void CacheTranslation_EqualsTheOwners_ForAnyPortsIdentifiersAndSpis()
    {
        // Ports the dissector reads as ISAKMP or NAT-T, or TCP as PPTP control, have their own tests.
        var port = Gen.UShort[1, ushort.MaxValue].Where(p => p is not (FrameDissector.IsakmpPort or NatTraversal.Port or 1723));
        var spi = Gen.UInt[1, uint.MaxValue];
        Gen.Select(port, port, Gen.UShort, spi, spi).Sample((insidePort, remotePort, id, outboundSpi, inboundSpi) =>
        {
            var x = new OwnerAndCache();
            x.Establish(UdpFrame(InsideA, insidePort, Remote, remotePort, [1]));
            ushort udpB = Dissect(x.Establish(UdpFrame(InsideB, insidePort, Remote, remotePort, [2]))).SourcePort;
            new TcpConversation(x.Gateway, InsideA, insidePort, Remote, remotePort).Open();
            var tcpB = new TcpConversation(x.Gateway, InsideB, insidePort, Remote, remotePort).Open();
            x.Establish(EchoFrame(InsideA, Remote, IcmpType.EchoRequest, id));
            ushort idB = Dissect(x.Establish(EchoFrame(InsideB, Remote, IcmpType.EchoRequest, id))).IcmpIdentifier;
            x.Establish(Ike.EspOut(Ike.HostA, outboundSpi));
            x.Establish(Ike.EspIn(inboundSpi));
            x.Publish();

            x.AssertTranslatedAsByTheOwner(UdpFrame(InsideB, insidePort, Remote, remotePort, [3]), Direction.Outbound);
            x.AssertTranslatedAsByTheOwner(UdpFrame(Remote, remotePort, Public, udpB, [4]), Direction.Inbound);
            x.AssertTranslatedAsByTheOwner(tcpB.InsideSegment(TcpFlags.Psh | TcpFlags.Ack, [5]), Direction.Outbound);
            x.AssertTranslatedAsByTheOwner(tcpB.RemoteSegment(TcpFlags.Psh | TcpFlags.Ack, [6]), Direction.Inbound);
            x.AssertTranslatedAsByTheOwner(EchoFrame(InsideB, Remote, IcmpType.EchoRequest, id, 2), Direction.Outbound);
            x.AssertTranslatedAsByTheOwner(EchoFrame(Remote, Public, IcmpType.EchoReply, idB, 2), Direction.Inbound);
            x.AssertTranslatedAsByTheOwner(Ike.EspOut(Ike.HostA, outboundSpi, 2), Direction.Outbound);
            x.AssertTranslatedAsByTheOwner(Ike.EspIn(inboundSpi, 2), Direction.Inbound);
        });
    }
}
