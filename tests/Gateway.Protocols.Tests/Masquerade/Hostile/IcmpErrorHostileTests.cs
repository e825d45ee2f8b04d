using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.Hostile.HostileFrames;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

// Issue 10 / DESIGN §3.1: an ICMP error follows the mapping of the datagram it quotes. An error quoting a datagram
// that matches nothing, or that the erring host never received through a mapping of its own, is "no-mapping";
// an error whose quote cannot be read is "malformed".
public sealed class IcmpErrorHostileTests
{
    private static readonly byte[] Opaque = [1, 2, 3, 4];

    private static byte[] ErrorFromRemote(byte[] quoted) => IcmpErrorFrame(Remote, Public, IcmpType.DestinationUnreachable, 3, quoted);

    private static byte[] ErrorFromAttacker(byte[] quoted) => IcmpErrorFrame(Attacker, Remote, IcmpType.DestinationUnreachable, 3, quoted);

    private static byte[] EspDatagram(uint source, uint destination, uint spi) => DatagramOf(Ike.EspFrame(source, destination, spi, 1));

    private static byte[] EchoDatagram(uint source, uint destination, IcmpType type, ushort id) => DatagramOf(EchoFrame(source, destination, type, id));

    [Fact]
    public void FromOutside_QuotingADatagramThatMatchesNothing_IsNoMapping()
    {
        var run = new HostileRun();

        run.HitAndCheck(ErrorFromRemote(UdpDatagram(Public, 7777, Remote, 53, Opaque))).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void FromOutside_QuotingAnSpiNobodySent_IsNoMapping()
    {
        var run = new HostileRun();

        run.HitAndCheck(ErrorFromRemote(EspDatagram(Public, Remote, 0x9999_9999))).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void FromOutside_QuotingAnIcmpError_IsNoMapping()
    {
        var run = new HostileRun();
        var inner = DatagramOf(ErrorFromRemote(UdpDatagram(Public, 5000, Remote, 53, Opaque)));

        run.HitAndCheck(IcmpErrorFrame(Remote, Public, IcmpType.TimeExceeded, 0, inner)).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void FromOutside_QuotingTheBystandersPorts_InADatagramTheGatewayNeverSent_IsNoMapping()
    {
        // Host E's UDP mapping keeps public port 5000 towards Remote:53; but this quote's source is not the public
        // address, so it is about a datagram that never left through the gateway.
        var run = new HostileRun();
        uint stranger = Ipv4Address.Parse("203.0.113.9");

        run.HitAndCheck(ErrorFromRemote(UdpDatagram(stranger, 5000, Remote, 53, Opaque))).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void FromOutside_QuotingTheBystandersDatagram_GoesToItsHost_WithoutKeepingTheMappingAlive()
    {
        var run = new HostileRun();

        var sent = run.HitAndCheck(ErrorFromRemote(UdpDatagram(Public, 5000, Remote, 53, Opaque))).AssertForwarded(Side.Inside);

        Assert.Equal(BystanderFlows.HostE, Dissect(Assert.Single(sent)).Destination);
    }

    [Fact]
    public void FromOutside_WithAQuoteShorterThanAHeaderAndEightBytes_IsMalformed()
    {
        var run = new HostileRun();
        var quoted = UdpDatagram(Public, 5000, Remote, 53, Opaque)[..27];

        run.HitAndCheck(ErrorFromRemote(quoted)).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(0x44)]
    [InlineData(0x65)]
    public void FromOutside_WithAQuoteThatIsNoIpv4Header_IsMalformed(byte versionAndLength)
    {
        var run = new HostileRun();
        var quoted = UdpDatagram(Public, 5000, Remote, 53, Opaque);
        quoted[0] = versionAndLength;

        run.HitAndCheck(ErrorFromRemote(quoted)).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void FromInside_QuotingTheBystandersUdpFlow_IsNoMapping()
    {
        var run = new HostileRun();

        run.HitAndCheck(ErrorFromAttacker(UdpDatagram(Remote, 53, BystanderFlows.HostE, 5000, Opaque))).AssertDropped(DropReason.NoMapping);
        run.HitAndCheck(ErrorFromAttacker(UdpDatagram(Remote, 53, Attacker, 5000, Opaque))).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void FromInside_QuotingTheBystandersEsp_IsNoMapping()
    {
        var run = new HostileRun();

        run.HitAndCheck(ErrorFromAttacker(EspDatagram(Remote, Attacker, BystanderFlows.EspInboundSpi))).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void FromInside_QuotingTheBystandersEchoReply_IsNoMapping()
    {
        var run = new HostileRun();

        run.HitAndCheck(ErrorFromAttacker(EchoDatagram(Remote, Attacker, IcmpType.EchoReply, BystanderFlows.EchoId))).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void FromInside_QuotingTheBystandersGre_IsNoMapping()
    {
        var run = new HostileRun();

        run.HitAndCheck(ErrorFromAttacker(DatagramOf(GreFrame(Remote, Attacker, BystanderFlows.ClientCallId)))).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void FromInside_QuotingItsOwnMapping_IsForwarded_WithTheQuoteOnThePublicSide()
    {
        var run = new HostileRun();
        var reply = run.HitAndCheck(UdpFrame(Attacker, 6000, Remote, 53, Opaque)).AssertForwarded(Side.Outside);
        ushort publicPort = Dissect(reply[0]).SourcePort;

        var sent = run.HitAndCheck(ErrorFromAttacker(UdpDatagram(Remote, 53, Attacker, 6000, Opaque))).AssertForwarded(Side.Outside);

        var quote = DatagramOf(Assert.Single(sent)).AsSpan(Ipv4Header.MinLength + IcmpHeader.Length);
        Assert.Equal((Public, publicPort), (ReadUInt32(quote[16..]), ReadUInt16(quote, 22)));
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
}
