using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.Hostile.HostileFrames;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

// Issue 10 / DESIGN §3.3: hostile ESP and AH. SPI 0 is never on the wire (RFC 4303 §2.1) and is dropped; every other
// SPI, reserved or all ones, is an SPI the endpoints may use, so the gateway masquerades it as it would any SPI.
public sealed class EspAhHostileTests
{
    private static readonly uint FreshRemote = Ipv4Address.Parse("199.0.0.3");

    [Fact]
    public void EspWithSpiZero_FromInside_IsEspZeroSpi()
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.EspFrame(Attacker, Remote, 0, 1)).AssertDropped(DropReason.EspZeroSpi);
    }

    [Fact]
    public void EspWithSpiZero_FromTheBystandersRemote_IsEspZeroSpi()
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.EspIn(0)).AssertDropped(DropReason.EspZeroSpi);
    }

    [Fact]
    public void EspShorterThanSpiAndSequence_IsMalformed()
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.Frame(Remote, Public, IpProtocol.Esp, [0xC0, 0xC0, 0x20, 0x01, 0, 0, 0])).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void EspWithSpiAllOnes_FromTheBystandersRemote_IsALegalSpi_AndGoesToTheLatestRekeyerAsAnyUnknownSpi()
    {
        // 0xFFFFFFFF is not reserved (RFC 4303 §2.1 reserves 0 and 1-255 only). Unknown with nothing outstanding, it
        // goes where DESIGN §3.3 sends any unknown SPI: host C, the latest rekeyer, which discards what it cannot decrypt.
        var run = new HostileRun();

        var sent = run.HitAndCheck(Ike.EspIn(0xFFFF_FFFF)).AssertForwarded(Side.Inside);

        Assert.Equal(BystanderFlows.HostC, Dissect(Assert.Single(sent)).Destination);
    }

    [Fact]
    public void EspWithSpiAllOnes_ToAFreshRemote_IsALegalSpi_AndStartsAnInitialPacketAsAnyOther()
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.EspFrame(Attacker, FreshRemote, 0xFFFF_FFFF, 1)).AssertForwarded(Side.Outside);

        var outstanding = run.Target.Gateway.Peers[FreshRemote].Esp.Outstanding!;
        Assert.Equal((Attacker, 0xFFFF_FFFFu), (outstanding.Inside, outstanding.OutboundSpi));
    }

    [Fact]
    public void EspWithAReservedSpi_ToAFreshRemote_IsMasqueradedAsAnyOther()
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.EspFrame(Attacker, FreshRemote, 1, 1)).AssertForwarded(Side.Outside);
    }

    [Fact]
    public void EspFromAnotherHost_ToTheRemoteABystanderHasAnSaWith_IsParallelRefused()
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.EspFrame(Attacker, Remote, BystanderFlows.EspOutboundSpi, 1)).AssertDropped(DropReason.EspParallelRefused);
    }

    [Fact]
    public void EspWithAnUnknownSpi_FromARemoteNobodyRekeyedWith_IsNoMapping()
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.EspFrame(BystanderFlows.OtherRemote, Public, BystanderFlows.EspInboundSpi, 1)).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void Ah_EitherWay_IsAhNotMasqueradable()
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.AhFrame(Attacker, Remote, 0x5000)).AssertDropped(DropReason.AhNotMasqueradable);
        run.HitAndCheck(Ike.AhFrame(Remote, Public, BystanderFlows.EspInboundSpi)).AssertDropped(DropReason.AhNotMasqueradable);
    }

    [Fact]
    public void AhWhosePayloadLengthRunsPastTheDatagram_IsMalformed()
    {
        var run = new HostileRun();

        run.HitAndCheck(WithPayloadBytes(Ike.AhFrame(Remote, Public, 0x5000), 1, 0xFF)).AssertDropped(DropReason.Malformed);
    }
}
