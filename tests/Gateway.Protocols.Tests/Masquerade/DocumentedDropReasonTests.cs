using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade;

// DESIGN §3.8: every drop has a reason, counted. These are the documented reasons that are not one frame's parse or
// one peer's rule: a protocol no table can masquerade, fragments that never became a datagram, the old public address.
public sealed class DocumentedDropReasonTests
{
    private const byte Sctp = 132;

    [Fact]
    public void OutboundProtocolWithNoMasqueradeTable_IsDroppedUnsupportedProtocol_NotSentOneWay()
    {
        var gateway = GatewayUnderTest.Create();

        var outcome = gateway.Send(Ethernet(Datagram(InsideA, Remote, Sctp, new byte[16])));

        outcome.AssertDropped(DropReason.UnsupportedProtocol);
        Assert.Empty(outcome.Outputs);
    }

    [Fact]
    public void InboundProtocolWithAProtocolForward_StillReachesItsTarget()
    {
        var gateway = GatewayUnderTest.Create(o => o with { ProtocolForwards = [new ProtocolForward(Sctp, InsideB)] });

        Assert.Equal(InsideB, Dissect(gateway.Send(Ethernet(Datagram(Remote, Public, Sctp, new byte[16]))).Inside).Destination);
    }

    [Fact]
    public void FragmentsOfADatagramThatNeverCompletes_AreCountedFragmentTimeout_WhenTheirTrainExpires()
    {
        var gateway = GatewayUnderTest.Create();
        var pieces = FragmentsOf(UdpDatagram(InsideA, 4000, Remote, 53, new byte[3000], identification: 9), 1000);
        foreach (var piece in pieces.Take(pieces.Count - 1))
            Assert.Equal(VerdictAction.Hold, gateway.Send(piece).Verdict.Action);

        gateway.Now += new MasqueradeOptions().Limits.FragmentTimeout + TimeSpan.FromSeconds(1);
        gateway.Gateway.Sweep(gateway.Now);

        Assert.Equal(pieces.Count - 1, gateway.Gateway.FrontCounters().ToDictionary()["drop:fragment-timeout"]);
    }

    [Fact]
    public void FragmentsPushedOutForRoom_AreCountedTableFull()
    {
        var gateway = GatewayUnderTest.Create(o => o with { Limits = o.Limits with { FragmentTrains = 1 } });
        var first = FragmentsOf(UdpDatagram(InsideA, 4000, Remote, 53, new byte[3000], identification: 1), 1000);
        var second = FragmentsOf(UdpDatagram(InsideB, 4000, Remote, 53, new byte[3000], identification: 2), 1000);

        gateway.Send(first[0]);
        gateway.Send(first[1]);
        gateway.Send(second[0]);

        Assert.Equal(2, gateway.Gateway.FrontCounters().ToDictionary()["drop:table-full"]);
    }

    [Fact]
    public void FrameToThePreviousPublicAddress_IsDroppedAddressChanged_AndToAnyOtherOutsideAddressNoMapping()
    {
        var gateway = GatewayUnderTest.Create();
        gateway.Gateway.ChangePublicAddress(Ipv4Address.Parse("200.200.200.201"), gateway.Now);

        gateway.Send(UdpFrame(Remote, 53, Public, 5000)).AssertDropped(DropReason.AddressChanged);
        gateway.Send(UdpFrame(Remote, 53, Ipv4Address.Parse("200.200.200.202"), 5000)).AssertDropped(DropReason.NoMapping);
    }
}
