using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Ports;

// DESIGN §3.1: TCP mappings follow connection state (SYN, FIN, RST) for their lifetimes:
// transitory 4 min until answered, established 2 h, 10 s once closed (PortOptions defaults).
public sealed class TcpMappingLifecycleTests
{
    private static readonly PortOptions Lifetimes = new();

    [Fact]
    public void Syn_OpensMapping_UnansweredItExpiresAfterTransitoryLifetime()
    {
        var gateway = GatewayUnderTest.Create();
        var tcp = new TcpConversation(gateway, InsideA, 3000, Remote, 80);
        tcp.FromInside(TcpFlags.Syn);

        gateway.Now += Lifetimes.TcpTransitoryLifetime + TimeSpan.FromSeconds(1);

        tcp.FromRemote(TcpFlags.Syn | TcpFlags.Ack).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void Reply_EstablishesMapping_ItOutlivesTransitoryLifetime()
    {
        var gateway = GatewayUnderTest.Create();
        var tcp = new TcpConversation(gateway, InsideA, 3000, Remote, 80).Open();

        gateway.Now += TimeSpan.FromHours(1);

        Assert.Equal(InsideA, Dissect(tcp.RemoteSends([1, 2, 3]).Inside).Destination);
    }

    [Fact]
    public void FinBothWays_ShortensMappingToClosingLifetime()
    {
        var gateway = GatewayUnderTest.Create();
        var tcp = new TcpConversation(gateway, InsideA, 3000, Remote, 80).Open();
        tcp.FromInside(TcpFlags.Fin | TcpFlags.Ack);
        tcp.FromRemote(TcpFlags.Fin | TcpFlags.Ack);

        gateway.Now += Lifetimes.TcpClosingLifetime + TimeSpan.FromSeconds(1);

        tcp.FromInside(TcpFlags.Ack).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void Rst_ShortensMappingToClosingLifetime()
    {
        var gateway = GatewayUnderTest.Create();
        var tcp = new TcpConversation(gateway, InsideA, 3000, Remote, 80).Open();
        tcp.FromRemote(TcpFlags.Rst);

        gateway.Now += Lifetimes.TcpClosingLifetime + TimeSpan.FromSeconds(1);

        tcp.FromInside(TcpFlags.Ack).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void Rst_LastSegmentsWithinClosingLifetimeStillPass()
    {
        var gateway = GatewayUnderTest.Create();
        var tcp = new TcpConversation(gateway, InsideA, 3000, Remote, 80).Open();
        tcp.FromRemote(TcpFlags.Rst);

        gateway.Now += Lifetimes.TcpClosingLifetime - TimeSpan.FromSeconds(1);

        Assert.Equal(VerdictAction.Forward, tcp.FromInside(TcpFlags.Ack).Verdict.Action);
    }

    [Fact]
    public void NonSynSegmentWithoutMapping_IsDroppedNoMapping()
    {
        var gateway = GatewayUnderTest.Create();

        var outcome = gateway.Send(TcpFrame(InsideA, 3000, Remote, 80, TcpFlags.Ack, 1000, 2000));

        outcome.AssertDropped(DropReason.NoMapping);
    }
}
