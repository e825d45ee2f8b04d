using System.Buffers.Binary;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade;

// DESIGN §3.1 "the gateway behaves as a router", §3.6 REJECT: what the gateway says back about a frame it will not
// forward (RFC 1812 §4.3, §5.3.1; RFC 1191), from its own address on the link the sender is on, rate-limited per
// destination, and never about an ICMP error or a fragment other than the first.
public sealed class GatewayAsRouterTests
{
    private const int IpOffset = 14;
    private static readonly uint InsideGateway = Ipv4Address.Parse("10.0.0.1");

    private static GatewayUnderTest Router(Func<MasqueradeOptions, MasqueradeOptions>? configure = null)
    {
        var gateway = GatewayUnderTest.Create(configure);
        gateway.Gateway.Live.Update(s => s with { InsideAddress = InsideGateway });
        return gateway;
    }

    private static byte[] WithTtl(byte[] frame, byte ttl)
    {
        frame[IpOffset + Ipv4Header.TtlOffset] = ttl;
        RefreshChecksums(frame);
        return frame;
    }

    private static byte[] WithDontFragment(byte[] frame)
    {
        frame[IpOffset + Ipv4Header.FragmentOffset] |= 0x40;
        RefreshChecksums(frame);
        return frame;
    }

    private static void RefreshChecksums(byte[] frame)
    {
        var ip = frame.AsSpan(IpOffset);
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv4Header.ChecksumOffset..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv4Header.ChecksumOffset..], VpnMasq.Protocols.Checksums.InternetChecksum.Compute(ip[..20]));
    }

    /// <summary>The ICMP header of a reply and the datagram it quotes.</summary>
    private static (VpnMasq.Protocols.Frames.Dissection Reply, byte Code, ushort NextHopMtu, byte[] Quoted) Icmp(byte[] reply)
    {
        var d = Dissect(reply);
        var icmp = reply.AsSpan(d.TransportOffset, d.IpTotalLength - d.IpHeaderLength);
        return (d, icmp[1], BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]), icmp[8..].ToArray());
    }

    [Fact]
    public void TtlExpiry_FromInside_SendsTimeExceededFromTheInsideAddress_QuotingTheDatagramAsSent()
    {
        var gateway = Router();
        var frame = WithTtl(UdpFrame(InsideA, 33434, Remote, 33435, [1, 2, 3, 4]), 1);

        var (reply, code, _, quoted) = Icmp(gateway.Send(frame).Reply(Side.Inside));

        Assert.Equal((InsideGateway, InsideA, IcmpType.TimeExceeded, (byte)0), (reply.Source, reply.Destination, reply.IcmpType, code));
        Assert.Equal(DatagramOf(frame), quoted); // the whole (short) datagram, untranslated: traceroute matches its probe
    }

    [Fact]
    public void TtlExpiry_FromOutside_SendsTimeExceededFromThePublicAddress()
    {
        var gateway = Router(o => o with { PortForwards = [new PortForward(IpProtocol.Udp, 5353, InsideB, 53)] });

        var (reply, _, _, _) = Icmp(gateway.Send(WithTtl(UdpFrame(Remote, 4000, Public, 5353), 1)).Reply(Side.Outside));

        Assert.Equal((Public, Remote, IcmpType.TimeExceeded), (reply.Source, reply.Destination, reply.IcmpType));
    }

    [Fact]
    public void DontFragmentDatagram_LargerThanTheOutsideMtu_GetsFragmentationNeededWithThatMtu_AndOpensNoMapping()
    {
        var gateway = Router();
        gateway.Gateway.Live.Update(s => s.WithLinkMtu(Side.Outside, 1400));
        var frame = WithDontFragment(UdpFrame(InsideA, 4000, Remote, 53, new byte[1450]));

        var outcome = gateway.Send(frame);

        outcome.AssertDropped(DropReason.FragmentationNeeded);
        var (reply, code, mtu, quoted) = Icmp(outcome.Reply(Side.Inside));
        Assert.Equal((IcmpType.DestinationUnreachable, (byte)4, (ushort)1400), (reply.IcmpType, code, mtu));
        Assert.Equal(DatagramOf(frame)[..28], quoted[..28]);
        Assert.True(reply.IpTotalLength <= RouterRepliesLimit);
        Assert.Empty(gateway.Events);
    }

    private const int RouterRepliesLimit = 576;

    [Fact]
    public void DatagramWithoutDontFragment_LargerThanTheOutsideMtu_IsFragmentedToFit()
    {
        var gateway = Router();
        gateway.Gateway.Live.Update(s => s.WithLinkMtu(Side.Outside, 1400));

        var outcome = gateway.Send(UdpFrame(InsideA, 4000, Remote, 53, new byte[1450]));

        Assert.Equal(VerdictAction.Forward, outcome.Verdict.Action);
        Assert.Equal(2, outcome.Outputs.Count);
        Assert.All(outcome.Outputs, o => Assert.True(o.Frame.Length - IpOffset <= 1400));
    }

    [Fact]
    public void ForwardedGreLargerThanTheInsideMtu_IsFragmented_AndEveryPieceParses()
    {
        // Found by fuzzing the engine: a GRE v1 first fragment holds less payload than its Payload Length says, and
        // was refused as too short, so every fragmented PPTP data packet was lost.
        var gateway = Router(o => o with { ProtocolForwards = [new ProtocolForward(IpProtocol.Gre, InsideB)] });
        gateway.Gateway.Live.Update(s => s.WithLinkMtu(Side.Inside, 576));
        var ppp = new byte[945];
        var gre = VpnMasq.Protocols.Gre.GreFields.Enhanced(0x4242, (ushort)ppp.Length, 1);
        var packet = new byte[gre.Length + ppp.Length];
        gre.WriteTo(packet);

        var outcome = gateway.Send(Ethernet(Datagram(Remote, Public, IpProtocol.Gre, packet)));

        Assert.Equal(VerdictAction.Forward, outcome.Verdict.Action);
        Assert.Equal(2, outcome.Outputs.Count); // each checked by GatewayUnderTest: parses, valid checksums
        Assert.All(outcome.Outputs, o => Assert.Equal(InsideB, Dissect(o.Frame).Destination));
    }

    [Fact]
    public void LinkMtuChange_IsFollowedByTheNextFrame()
    {
        var gateway = Router();
        var big = WithDontFragment(UdpFrame(InsideA, 4000, Remote, 53, new byte[1300]));
        Assert.Equal(VerdictAction.Forward, gateway.Send(big).Verdict.Action);

        gateway.Gateway.Live.Update(s => s.WithLinkMtu(Side.Outside, 1280)); // a PPP link renegotiated

        var (_, _, mtu, _) = Icmp(gateway.Send(big).Reply(Side.Inside));
        Assert.Equal(1280, mtu);
    }

    [Fact]
    public void RejectRule_Udp_AnswersPortUnreachable()
    {
        var gateway = Router(o => o with { Rules = ["-A forward -j REJECT -p udp -d 199.0.0.1/32", "-A forward -j MASQ -s 10.0.0.0/8"] });

        var outcome = gateway.Send(UdpFrame(InsideA, 4000, Remote, 53, [1]));

        outcome.AssertDropped(DropReason.RuleReject);
        var (reply, code, _, _) = Icmp(outcome.Reply(Side.Inside));
        Assert.Equal((IcmpType.DestinationUnreachable, (byte)3, InsideA), (reply.IcmpType, code, reply.Destination));
    }

    [Fact]
    public void RejectRule_Tcp_AnswersWithAResetThatAcknowledgesTheSyn()
    {
        var gateway = Router(o => o with { Rules = ["-A forward -j REJECT -p tcp -d 199.0.0.1/32 23", "-A forward -j MASQ -s 10.0.0.0/8"] });
        var syn = TcpFrame(InsideA, 40000, Remote, 23, TcpFlags.Syn, sequence: 1000);

        var reset = gateway.Send(syn).Reply(Side.Inside);

        var d = Dissect(reset);
        var tcp = reset.AsSpan(d.TransportOffset);
        Assert.Equal((Remote, InsideA, (ushort)23, (ushort)40000), (d.Source, d.Destination, d.SourcePort, d.DestinationPort));
        Assert.Equal(TcpFlags.Rst | TcpFlags.Ack, d.TcpFlags);
        Assert.Equal(1001u, BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]));
    }

    [Fact]
    public void RejectRule_OtherProtocols_AnswerHostUnreachable()
    {
        var gateway = Router(o => o with { Rules = ["-A forward -j REJECT -p icmp", "-A forward -j MASQ -s 10.0.0.0/8"] });

        var (reply, code, _, _) = Icmp(gateway.Send(EchoFrame(InsideA, Remote, IcmpType.EchoRequest, 9)).Reply(Side.Inside));

        Assert.Equal((IcmpType.DestinationUnreachable, (byte)1), (reply.IcmpType, code));
    }

    [Fact]
    public void DenyRule_StaysSilent()
    {
        var gateway = Router(o => o with { Rules = ["-A forward -j DENY -p udp", "-A forward -j MASQ -s 10.0.0.0/8"] });

        var outcome = gateway.Send(UdpFrame(InsideA, 4000, Remote, 53, [1]));

        outcome.AssertDropped(DropReason.RuleDeny);
        Assert.Empty(outcome.Outputs);
    }

    [Fact]
    public void NoIcmpIsEverSentAboutAnIcmpError()
    {
        var gateway = Router();
        var offending = UdpDatagram(Remote, 53, InsideA, 4000, [1]);
        var error = WithTtl(IcmpErrorFrame(InsideA, Remote, IcmpType.DestinationUnreachable, 3, offending), 1);

        var outcome = gateway.Send(error);

        outcome.AssertDropped(DropReason.TtlExceeded);
        Assert.Empty(outcome.Outputs);
    }

    [Fact]
    public void NoIcmpIsEverSentAboutAFragmentOtherThanTheFirst()
    {
        var gateway = Router();
        var pieces = FragmentsOf(UdpDatagram(InsideA, 4000, Remote, 53, new byte[3000], identification: 77), 1000);
        // Every piece held; the whole datagram is refused as one, answered once, about its first fragment's header.
        var outcomes = pieces.Select(p => gateway.Send(WithTtl(p, 1))).ToList();

        Assert.All(outcomes[..^1], o => Assert.Equal((VerdictAction.Hold, DropReason.None), (o.Verdict.Action, o.Verdict.Reason)));
        outcomes[^1].AssertDropped(DropReason.TtlExceeded);
        var (_, _, _, quoted) = Icmp(outcomes[^1].Reply(Side.Inside));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(quoted.AsSpan(6)) & 0x1FFF);
    }

    [Fact]
    public void IcmpTheGatewayOriginates_IsRateLimitedPerDestination_LikeLinuxIcmpRatelimit()
    {
        var gateway = Router();
        int answeredA = 0, answeredB = 0;
        for (int i = 0; i < 20; i++)
        {
            answeredA += gateway.Send(WithTtl(UdpFrame(InsideA, 4000, Remote, 53, [1]), 1)).Outputs.Count;
            answeredB += gateway.Send(WithTtl(UdpFrame(InsideB, 4000, Remote, 53, [1]), 1)).Outputs.Count;
        }

        // A burst of six per destination, then one per second; another destination has its own bucket.
        Assert.Equal(6, answeredA);
        Assert.Equal(6, answeredB);
        gateway.Now += TimeSpan.FromSeconds(1);
        Assert.Single(gateway.Send(WithTtl(UdpFrame(InsideA, 4000, Remote, 53, [1]), 1)).Outputs);
        Assert.Empty(gateway.Send(WithTtl(UdpFrame(InsideA, 4000, Remote, 53, [1]), 1)).Outputs);
        var counters = gateway.Gateway.FrontCounters().ToDictionary();
        Assert.Equal(13, counters["icmp:sent"]);
        Assert.Equal(29, counters["icmp:rate-limited"]);
    }
}
