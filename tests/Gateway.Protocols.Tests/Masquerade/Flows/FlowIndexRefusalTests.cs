using VpnMasq.Protocols.Gre;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Masquerade.Pptp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Flows;

// DESIGN §1: a frame that could change the owner's table (or that only the owner can route) is never
// translated by a flow cache; it goes to the owner, untouched.
public sealed class FlowIndexRefusalTests
{
    private const ulong CookieA = 0xA1A1_A1A1_A1A1_A1A1;
    private const ulong CookieB = 0xB2B2_B2B2_B2B2_B2B2;
    private const ulong ResponderA = 0x0A0A_0A0A_0A0A_0A0A;
    private const ulong ResponderB = 0x0B0B_0B0B_0B0B_0B0B;

    [Theory]
    [InlineData(TcpFlags.Syn, Direction.Outbound)]
    [InlineData(TcpFlags.Syn | TcpFlags.Ack, Direction.Inbound)]
    [InlineData(TcpFlags.Fin | TcpFlags.Ack, Direction.Outbound)]
    [InlineData(TcpFlags.Fin | TcpFlags.Ack, Direction.Inbound)]
    [InlineData(TcpFlags.Rst, Direction.Outbound)]
    [InlineData(TcpFlags.Rst | TcpFlags.Ack, Direction.Inbound)]
    public void TcpSynFinOrRst_OfAnEstablishedConnection_GoesToTheOwner(TcpFlags flags, Direction direction)
    {
        var x = new OwnerAndCache();
        var tcp = new TcpConversation(x.Gateway, InsideA, 3000, Remote, 80).Open();
        x.Publish();

        x.AssertGoesToTheOwner(direction == Direction.Outbound ? tcp.InsideSegment(flags) : tcp.RemoteSegment(flags), direction);
    }

    [Theory]
    [InlineData(Direction.Outbound)]
    [InlineData(Direction.Inbound)]
    public void PptpControlConnection_OnTcp1723_GoesToTheOwner(Direction direction)
    {
        var x = new OwnerAndCache();
        var client = new PptpClient(x.Gateway, InsideA, 1025);
        x.Publish();
        var echo = PptpMessage(direction == Direction.Outbound ? PptpControlType.EchoRequest : PptpControlType.EchoReply);
        const TcpFlags Data = TcpFlags.Psh | TcpFlags.Ack;

        x.AssertGoesToTheOwner(direction == Direction.Outbound ? client.Tcp.InsideSegment(Data, echo) : client.Tcp.RemoteSegment(Data, echo), direction);
        Assert.DoesNotContain(x.Owner.EstablishedFlows(), f => f.Kind == FlowKind.Port);
    }

    [Fact]
    public void TcpFromInsidePort1723_GoesToTheOwner_ThoughItIsNotPptpAndItsMappingIsPublished()
    {
        // The cache sees only the frame's ports, so it cannot tell a client's ephemeral 1723 from a control connection.
        var x = new OwnerAndCache();
        var tcp = new TcpConversation(x.Gateway, InsideA, PptpControlMessage.TcpPort, Remote, 80).Open();
        x.Publish();

        x.AssertGoesToTheOwner(tcp.InsideSegment(TcpFlags.Psh | TcpFlags.Ack, [1, 2, 3]), Direction.Outbound);
        Assert.Contains(x.Owner.EstablishedFlows(), f => f.Kind == FlowKind.Port && f.InsideKey == PptpControlMessage.TcpPort);
    }

    [Fact]
    public void OutstandingEspInit_GoesToTheOwner_WhichCountsItsRetriesAfterACollision()
    {
        var x = new OwnerAndCache();
        x.Establish(Ike.EspOut(Ike.HostA, 0x1001));
        x.Gateway.Send(Ike.EspOut(Ike.HostB, 0x3001)).AssertDropped(DropReason.EspInitBlocked);
        x.Publish();
        var retry = Ike.EspOut(Ike.HostA, 0x1001, 2);

        x.AssertGoesToTheOwner(retry, Direction.Outbound);
        Assert.IsType<EspInitRetried>(Assert.Single(x.OwnerDecides(retry, Direction.Outbound)));
    }

    [Fact]
    public void ReplyToAnOutstandingEspInit_GoesToTheOwner_WhichAssociatesItsSpi()
    {
        var x = new OwnerAndCache();
        x.Establish(Ike.EspOut(Ike.HostA, 0x1001));
        x.Publish();
        var reply = Ike.EspIn(0x2001);

        x.AssertGoesToTheOwner(reply, Direction.Inbound);
        Assert.IsType<EspSpiAssociated>(Assert.Single(x.OwnerDecides(reply, Direction.Inbound)));
    }

    [Theory]
    [InlineData(Direction.Outbound)]
    [InlineData(Direction.Inbound)]
    public void UnknownSpi_BesideAnEstablishedAssociation_GoesToTheOwner(Direction direction)
    {
        var x = new OwnerAndCache();
        x.Establish(Ike.EspOut(Ike.HostA, 0x1001));
        x.Establish(Ike.EspIn(0x2001));
        x.Publish();

        // Outbound, a rekey's first packet; inbound, a packet the owner fans out to the latest rekeyers.
        x.AssertGoesToTheOwner(direction == Direction.Outbound ? Ike.EspOut(Ike.HostA, 0x1002) : Ike.EspIn(0x5001), direction);
    }

    [Theory]
    [InlineData(Direction.Outbound)]
    [InlineData(Direction.Inbound)]
    public void IsakmpExchange_BeforeItsResponderCookie_GoesToTheOwner(Direction direction)
    {
        var x = new OwnerAndCache();
        x.Establish(Ike.IsakmpOut(Ike.HostA, CookieA));
        x.Publish();

        x.AssertGoesToTheOwner(direction == Direction.Outbound ? Ike.IsakmpOut(Ike.HostA, CookieA) : Ike.IsakmpIn(CookieA, ResponderA), direction);
    }

    [Fact]
    public void FirstIsakmpReply_GoesToTheOwner_WhichLearnsTheResponderCookie()
    {
        var x = new OwnerAndCache();
        x.Establish(Ike.IsakmpOut(Ike.HostA, CookieA));
        x.Publish();
        var reply = Ike.IsakmpIn(CookieA, ResponderA);

        x.AssertGoesToTheOwner(reply, Direction.Inbound);
        Assert.Equal(new IsakmpResponderLearned(x.Gateway.Now, CookieA, ResponderA), Assert.Single(x.OwnerDecides(reply, Direction.Inbound)));
    }

    [Fact]
    public void IsakmpReplyNamingNoResponderCookie_GoesToTheOwner_EvenForAnEstablishedExchange()
    {
        var x = new OwnerAndCache();
        x.Establish(Ike.IsakmpOut(Ike.HostA, CookieA, version: 2));
        x.Establish(Ike.IsakmpIn(CookieA, ResponderA, 2));
        x.Publish();

        x.AssertGoesToTheOwner(Ike.IsakmpIn(CookieA, 0, 2), Direction.Inbound);
    }

    [Fact]
    public void IsakmpOutbound_FromAHostThatIsNotTheLatestSpeaker_GoesToTheOwner_WhichMakesItTheLatestSpeaker()
    {
        var x = TwoEstablishedIsakmpExchanges();
        var fromA = Ike.IsakmpOut(Ike.HostA, CookieA, ResponderA);

        x.AssertGoesToTheOwner(fromA, Direction.Outbound);
        Assert.Equal(new IsakmpSpeakerChanged(x.Gateway.Now, Ike.HostA), Assert.Single(x.OwnerDecides(fromA, Direction.Outbound)));
    }

    [Fact]
    public void IsakmpInbound_ToAHostThatIsNotTheLatestSpeaker_IsStillTranslatedByTheCache()
    {
        var x = TwoEstablishedIsakmpExchanges();

        x.AssertTranslatedAsByTheOwner(Ike.IsakmpIn(CookieA, ResponderA), Direction.Inbound);
    }

    [Fact]
    public void IcmpError_AboutAMappedDatagram_GoesToTheOwner()
    {
        var x = new OwnerAndCache();
        x.Establish(UdpFrame(InsideA, 5000, Remote, 53));
        var sent = DatagramOf(x.Establish(UdpFrame(InsideB, 5000, Remote, 53, [1, 2, 3, 4])));
        x.Publish();

        x.AssertGoesToTheOwner(IcmpErrorFrame(Remote, Public, IcmpType.DestinationUnreachable, 3, sent), Direction.Inbound);
    }

    [Theory]
    [InlineData(IcmpType.EchoRequest, Direction.Inbound)]
    [InlineData(IcmpType.EchoReply, Direction.Outbound)]
    public void IcmpQuery_AgainstTheMappingsDirection_GoesToTheOwner(IcmpType type, Direction direction)
    {
        var x = new OwnerAndCache();
        x.Establish(EchoFrame(InsideA, Remote, IcmpType.EchoRequest, 0x77));
        x.Publish();

        x.AssertGoesToTheOwner(direction == Direction.Outbound ? EchoFrame(InsideA, Remote, type, 0x77) : EchoFrame(Remote, Public, type, 0x77), direction);
    }

    [Theory]
    [InlineData(Direction.Outbound)]
    [InlineData(Direction.Inbound)]
    public void GreVersion0_KeyedLikeAnEstablishedCall_GoesToTheOwner(Direction direction)
    {
        var calls = new TwoPptpClients();
        var x = new OwnerAndCache(calls.Gateway);
        x.Publish();
        var frame = direction == Direction.Outbound
            ? GreVersion0(InsideB, Remote, calls.ServerCallIdB)
            : GreVersion0(Remote, Public, calls.OutsideCallIdB);

        x.AssertGoesToTheOwner(frame, direction);
    }

    /// <summary>A and B each hold an exchange with its responder cookie; B spoke last.</summary>
    private static OwnerAndCache TwoEstablishedIsakmpExchanges()
    {
        var x = new OwnerAndCache();
        x.Establish(Ike.IsakmpOut(Ike.HostA, CookieA));
        x.Establish(Ike.IsakmpIn(CookieA, ResponderA));
        x.Establish(Ike.IsakmpOut(Ike.HostB, CookieB));
        x.Establish(Ike.IsakmpIn(CookieB, ResponderB));
        x.Publish();
        Assert.Equal(Ike.HostB, x.Owner.Isakmp.LatestSpeaker);
        return x;
    }

    /// <summary>Plain GRE (RFC 2784/2890) carrying IPv4, with <paramref name="key"/> where a v1 header has its Call ID.</summary>
    private static byte[] GreVersion0(uint source, uint destination, ushort key)
    {
        var gre = new GreFields(0, 0x0800, Key: key);
        var packet = new byte[gre.Length + 4];
        gre.WriteTo(packet);
        return Ethernet(Datagram(source, destination, IpProtocol.Gre, packet));
    }
}
