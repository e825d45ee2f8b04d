using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Masquerade.Pptp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade;

// DESIGN §3.7, HOWTO §3.7 (ip_dynaddr): when the public address changes, mappings bound to the
// old one close at once instead of lingering in a "dead period", and new traffic uses the new one.
public sealed class DynamicAddressTests
{
    private static readonly uint NewPublic = Ipv4Address.Parse("203.0.113.9");

    private static (GatewayUnderTest Gateway, TcpConversation Tcp) BusyGateway()
    {
        var gateway = GatewayUnderTest.Create();
        var tcp = new TcpConversation(gateway, InsideA, 3000, Remote, 80).Open();
        gateway.Send(UdpFrame(InsideA, 5000, Remote, 53));
        gateway.Send(EchoFrame(InsideA, Remote, IcmpType.EchoRequest, 0x77));
        new PptpClient(gateway, InsideB, 1025).PlaceCall(5, 0x4001);
        return (gateway, tcp);
    }

    [Fact]
    public void ChangePublicAddress_ClosesEveryMappingAtOnce()
    {
        var (gateway, _) = BusyGateway();

        var closed = gateway.Gateway.ChangePublicAddress(NewPublic, gateway.Now).Select(x => x.Event).ToList();

        Assert.Equal(0, gateway.Gateway.Peers[Remote].EntryCount);
        Assert.Equal((3, 1, 1), (closed.OfType<PortUnmapped>().Count(), closed.OfType<IcmpUnmapped>().Count(), closed.OfType<PptpCallUnmapped>().Count()));
        Assert.All(closed, e => Assert.Equal(RemovalCause.AddressChanged, Cause(e)));
    }

    [Fact]
    public void ChangePublicAddress_EstablishedConnectionCannotGoOnWithTheOldMapping()
    {
        var (gateway, tcp) = BusyGateway();

        gateway.Gateway.ChangePublicAddress(NewPublic, gateway.Now);

        tcp.FromInside(TcpFlags.Ack).AssertDropped(DropReason.NoMapping);
        tcp.RemoteSends([1]).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void ChangePublicAddress_NewTrafficUsesNewAddress()
    {
        var (gateway, _) = BusyGateway();

        gateway.Gateway.ChangePublicAddress(NewPublic, gateway.Now);
        var query = Dissect(gateway.Send(UdpFrame(InsideA, 5000, Remote, 53)).Outside);
        var answer = Dissect(gateway.Send(UdpFrame(Remote, 53, NewPublic, 5000)).Inside);

        Assert.Equal((NewPublic, (ushort)5000), (query.Source, query.SourcePort));
        Assert.Equal((InsideA, (ushort)5000), (answer.Destination, answer.DestinationPort));
    }

    [Fact]
    public void ChangePublicAddress_TrafficToOldAddressIsDroppedAddressChanged()
    {
        var (gateway, _) = BusyGateway();

        gateway.Gateway.ChangePublicAddress(NewPublic, gateway.Now);

        gateway.Send(UdpFrame(Remote, 53, Public, 5000)).AssertDropped(DropReason.AddressChanged);
    }

    private static RemovalCause Cause(PeerEvent e) => e switch
    {
        PortUnmapped x => x.Cause,
        IcmpUnmapped x => x.Cause,
        PptpCallUnmapped x => x.Cause,
        IsakmpExchangeRemoved x => x.Cause,
        EspEntryRemoved x => x.Cause,
        _ => throw new ArgumentException($"{e.GetType().Name} is not a removal"),
    };
}
