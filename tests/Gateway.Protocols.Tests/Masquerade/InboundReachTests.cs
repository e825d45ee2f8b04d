using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade;

// DESIGN §3.1: inbound frames reach inside hosts only through a mapping or a forward. A frame from outside addressed
// straight to an inside address (a neighbour that routes 10/8 at the gateway) is dropped whatever the rules say, unless
// the operator listed the address as routed (Masquerade:Routed, HOWTO §3.9/§3.10) and the forward chain accepts it.
public sealed class InboundReachTests
{
    private static readonly string[] HowtoMasqOnly = ["-P forward DENY", "-A forward -j MASQ -s 10.0.0.0/8 -d 0.0.0.0/0"];
    private static readonly uint Registered = Ipv4Address.Parse("10.0.0.9");

    [Fact]
    public void UnsolicitedInboundToAnInsideAddress_WithNoRules_IsDroppedNoMapping()
    {
        var gateway = GatewayUnderTest.Create();

        var outcome = gateway.Send(UdpFrame(Remote, 4000, InsideA, 22));

        outcome.AssertDropped(DropReason.NoMapping);
        Assert.Empty(outcome.Outputs);
    }

    [Fact]
    public void UnsolicitedInboundToAnInsideAddress_WithTheHowtoForwardDenyMasqRules_IsDropped()
    {
        var gateway = GatewayUnderTest.Create(o => o with { Rules = HowtoMasqOnly });

        gateway.Send(TcpFrame(Remote, 4000, InsideA, 22, VpnMasq.Protocols.Tcp.TcpFlags.Syn)).AssertDropped(DropReason.NoMapping);
        gateway.Send(EchoFrame(Remote, InsideA, VpnMasq.Protocols.Icmp.IcmpType.EchoRequest, 7)).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void UnsolicitedInboundToAnUnlistedInsideAddress_EvenWhenForwardAcceptsEverything_IsDroppedNoMapping()
    {
        var gateway = GatewayUnderTest.Create(o => o with { Rules = ["-P forward ACCEPT"], Routed = [Cidr.Parse("10.0.0.9/32")] });

        gateway.Send(UdpFrame(Remote, 4000, InsideA, 22)).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void InboundToARoutedAddress_ForwardChainAccepts_IsRoutedUnchangedButForItsTtl()
    {
        var gateway = GatewayUnderTest.Create(o => o with
        {
            Routed = [Cidr.Parse("10.0.0.9/32")],
            Rules = [.. HowtoMasqOnly, "-A forward -j ACCEPT -d 10.0.0.9/32"],
        });
        var frame = UdpFrame(Remote, 4000, Registered, 500, [9, 9]);

        var sent = Dissect(gateway.Send(frame).Inside);

        Assert.Equal((Remote, Registered, (ushort)4000, (ushort)500), (sent.Source, sent.Destination, sent.SourcePort, sent.DestinationPort));
    }

    [Fact]
    public void InboundToARoutedAddress_ForwardChainDenies_IsDroppedRuleDeny()
    {
        var gateway = GatewayUnderTest.Create(o => o with { Routed = [Cidr.Parse("10.0.0.9/32")], Rules = HowtoMasqOnly });

        gateway.Send(UdpFrame(Remote, 4000, Registered, 500)).AssertDropped(DropReason.RuleDeny);
    }

    [Fact]
    public void InboundToARoutedAddress_WithNoRules_IsDropped_BecauseMasqAcceptsNothingInbound()
    {
        var gateway = GatewayUnderTest.Create(o => o with { Routed = [Cidr.Parse("10.0.0.9/32")] });

        gateway.Send(UdpFrame(Remote, 4000, Registered, 500)).AssertDropped(DropReason.RuleDeny);
    }

    [Fact]
    public void InboundToARoutedAddress_InputChainDenies_IsDroppedBeforeTheForwardChain()
    {
        var gateway = GatewayUnderTest.Create(o => o with
        {
            Routed = [Cidr.Parse("10.0.0.9/32")],
            Rules = ["-A input -j DENY -p udp -s 199.0.0.1/32", "-A forward -j ACCEPT -d 10.0.0.9/32"],
        });

        gateway.Send(UdpFrame(Remote, 4000, Registered, 500)).AssertDropped(DropReason.RuleDeny);
        Assert.Equal(Registered, Dissect(gateway.Send(TcpFrame(Remote, 4000, Registered, 80, VpnMasq.Protocols.Tcp.TcpFlags.Syn)).Inside).Destination);
    }

    [Fact]
    public void DemasqueradedReply_WithForwardPolicyDeny_StillReachesTheInsideHost_AsIpchainsSkippedForward()
    {
        var gateway = GatewayUnderTest.Create(o => o with { Rules = HowtoMasqOnly });
        var outbound = Dissect(gateway.Send(UdpFrame(InsideA, 5000, Remote, 53, [1])).Outside);

        var reply = Dissect(gateway.Send(UdpFrame(Remote, 53, Public, outbound.SourcePort, [2])).Inside);

        Assert.Equal((InsideA, (ushort)5000), (reply.Destination, reply.DestinationPort));
    }

    [Fact]
    public void PortForward_WithForwardPolicyDeny_StillReachesItsTarget()
    {
        var gateway = GatewayUnderTest.Create(o => o with
        {
            Rules = HowtoMasqOnly,
            PortForwards = [new PortForward(IpProtocol.Udp, 500, InsideB, 500)],
        });

        var sent = Dissect(gateway.Send(UdpFrame(Remote, 500, Public, 500, IsakmpMessage(0x1111, 0))).Inside);

        Assert.Equal(InsideB, sent.Destination);
    }
}
