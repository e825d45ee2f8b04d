using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Flows;

// DESIGN §1: an owner's published flows replace what a cache knew of its peer; the activity a cache
// reports back (Touch) keeps the owner's entries alive, as the frames would have had the owner seen them.
public sealed class FlowIndexPublicationTests
{
    private static readonly uint OtherRemote = Ipv4Address.Parse("199.0.0.2");

    [Fact]
    public void RetractedPeer_MissesInTheCache()
    {
        var x = new OwnerAndCache();
        x.Establish(UdpFrame(InsideA, 5000, Remote, 53));
        x.Publish();

        x.Cache.SetPeerFlows(Remote, []);

        x.AssertGoesToTheOwner(UdpFrame(InsideA, 5000, Remote, 53, [1]), Direction.Outbound);
        x.AssertGoesToTheOwner(UdpFrame(Remote, 53, Public, 5000, [2]), Direction.Inbound);
        Assert.Equal((0, 0), (x.Cache.PeerCount, x.Cache.LookupCount));
        Assert.Empty(x.Cache.FlowsOf(Remote));
    }

    [Fact]
    public void ReplacedFlows_DropTheLookupsOfAFlowThatIsGone_AndKeepTheRest()
    {
        var x = new OwnerAndCache();
        var tcp = new TcpConversation(x.Gateway, InsideA, 3000, Remote, 80).Open();
        x.Establish(UdpFrame(InsideA, 5000, Remote, 53));
        x.Publish();
        tcp.FromInside(TcpFlags.Fin | TcpFlags.Ack);
        tcp.FromRemote(TcpFlags.Fin | TcpFlags.Ack);

        x.Publish();

        x.AssertGoesToTheOwner(tcp.InsideSegment(TcpFlags.Ack), Direction.Outbound);
        x.AssertGoesToTheOwner(tcp.RemoteSegment(TcpFlags.Ack), Direction.Inbound);
        x.AssertTranslatedAsByTheOwner(UdpFrame(InsideA, 5000, Remote, 53, [1]), Direction.Outbound);
        x.AssertTranslatedAsByTheOwner(UdpFrame(Remote, 53, Public, 5000, [2]), Direction.Inbound);
        Assert.Equal(2, x.Cache.LookupCount);
        Assert.Equal(x.Owner.EstablishedFlows(), x.Cache.FlowsOf(Remote));
    }

    [Fact]
    public void RetractingOnePeer_LeavesAnotherPeersFlows()
    {
        var x = new OwnerAndCache();
        x.Establish(UdpFrame(InsideA, 5000, Remote, 53));
        x.Establish(UdpFrame(InsideA, 5000, OtherRemote, 53));
        x.Publish();
        x.Cache.SetPeerFlows(OtherRemote, x.Gateway.Gateway.Peers[OtherRemote].EstablishedFlows());

        x.Cache.SetPeerFlows(Remote, []);

        var frame = UdpFrame(OtherRemote, 53, Public, 5000, [1]);
        bool hit = x.Cache.TryTranslate(frame, Dissect(frame), Direction.Inbound, OtherRemote, Public, out var verdict, out _);
        Assert.True(hit);
        Assert.Equal((OtherRemote, InsideA), (verdict.Peer, Dissect(frame).Destination));
        Assert.Equal((1, 2), (x.Cache.PeerCount, x.Cache.LookupCount));
    }

    /// <summary>Flows that end by idleness; a GRE call ends with its control connection instead.</summary>
    public static TheoryData<string> ExpiringFlows => ["esp", "isakmp", "udp", "icmp"];

    [Theory]
    [MemberData(nameof(ExpiringFlows))]
    public void FlowTheCacheKeptTranslating_OutlivesItsIdleLifetime_WhenTheOwnerIsTouched(string kind)
    {
        var (x, next, lifetime) = EstablishedAtZero(kind);
        var flow = TranslateInTheCacheOnly(x, next);

        Assert.True(x.Owner.Touch(flow, lifetime - TimeSpan.FromSeconds(1)));
        var events = new List<PeerEvent>();
        x.Owner.Sweep(x.Gateway.Gateway.Settings, lifetime + TimeSpan.FromSeconds(1), events);

        Assert.Empty(events);
        Assert.Contains(flow, x.Owner.EstablishedFlows());
    }

    [Theory]
    [MemberData(nameof(ExpiringFlows))]
    public void FlowTheCacheKeptTranslating_ExpiresAfterItsIdleLifetime_WhenTheOwnerIsNotTouched(string kind)
    {
        var (x, next, lifetime) = EstablishedAtZero(kind);
        var flow = TranslateInTheCacheOnly(x, next);

        var events = new List<PeerEvent>();
        x.Owner.Sweep(x.Gateway.Gateway.Settings, lifetime + TimeSpan.FromSeconds(1), events);

        Assert.NotEmpty(events);
        Assert.DoesNotContain(flow, x.Owner.EstablishedFlows());
        Assert.False(x.Owner.Touch(flow, lifetime + TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Touch_WithAnEarlierTime_LeavesLastSeenWhereItWas()
    {
        var (x, next, _) = EstablishedAtZero("udp");
        var flow = TranslateInTheCacheOnly(x, next);
        Assert.True(x.Owner.Touch(flow, TimeSpan.FromSeconds(30)));

        Assert.True(x.Owner.Touch(flow, TimeSpan.FromSeconds(10)));

        Assert.Equal(TimeSpan.FromSeconds(30), x.Owner.Ports.FindInbound(IpProtocol.Udp, 5000, 53)!.LastSeen);
        Assert.Equal(TimeSpan.FromSeconds(30), x.Owner.LastActivity);
    }

    /// <summary>A flow of <paramref name="kind"/> established at time 0, its next outbound frame, and its idle lifetime.</summary>
    private static (OwnerAndCache X, byte[] Next, TimeSpan Lifetime) EstablishedAtZero(string kind)
    {
        var x = new OwnerAndCache();
        var options = x.Gateway.Gateway.Settings.Options;
        (byte[] Next, TimeSpan Lifetime) flow;
        switch (kind)
        {
            case "esp":
                x.Establish(Ike.EspOut(Ike.HostA, 0x1001));
                x.Establish(Ike.EspIn(0x2001));
                flow = (Ike.EspOut(Ike.HostA, 0x1001, 2), options.Esp.TableLifetime);
                break;
            case "isakmp":
                x.Establish(Ike.IsakmpOut(Ike.HostA, 0xA1A1));
                x.Establish(Ike.IsakmpIn(0xA1A1, 0x0A0A));
                flow = (Ike.IsakmpOut(Ike.HostA, 0xA1A1, 0x0A0A), options.Isakmp.Lifetime);
                break;
            case "udp":
                x.Establish(UdpFrame(InsideA, 5000, Remote, 53));
                flow = (UdpFrame(InsideA, 5000, Remote, 53, [1]), options.Ports.UdpLifetime);
                break;
            default:
                x.Establish(EchoFrame(InsideA, Remote, IcmpType.EchoRequest, 0x77));
                flow = (EchoFrame(InsideA, Remote, IcmpType.EchoRequest, 0x77, 2), options.Ports.IcmpLifetime);
                break;
        }

        x.Publish();
        return (x, flow.Next, flow.Lifetime);
    }

    /// <summary>The cache translates the frame; the owner never sees it.</summary>
    private static EstablishedFlow TranslateInTheCacheOnly(OwnerAndCache x, byte[] frame)
    {
        Assert.True(x.Cache.TryTranslate(frame, Dissect(frame), Direction.Outbound, Remote, Public, out _, out var flow));
        return flow;
    }
}
