using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.Hostile.HostileFrames;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

// Issue 10, DESIGN §3.8 and §5.2: a frame that fails parsing at the link or IP layer, or whose length fields lie,
// is dropped "malformed" (checksums "bad-checksum", TTL "ttl-exceeded"), nothing escapes, and the other hosts'
// established flows go on frame for frame as if it had never come.
public sealed class LinkAndIpHostileTests
{
    public static TheoryData<string> Kinds => ["udp-out", "tcp-syn-out", "echo-out", "esp-in", "gre-in", "isakmp-in", "pptp-in", "ah-out"];

    private static byte[] Good(string kind) => kind switch
    {
        "udp-out" => UdpFrame(Attacker, 6000, Remote, 53, [1, 2, 3, 4]),
        "tcp-syn-out" => TcpFrame(Attacker, 6001, Remote, 80, TcpFlags.Syn),
        "echo-out" => EchoFrame(Attacker, Remote, IcmpType.EchoRequest, 0x99),
        "esp-in" => Ike.EspIn(BystanderFlows.EspInboundSpi),
        "gre-in" => GreFrame(Remote, Public, 0x0101),
        "isakmp-in" => Ike.IsakmpIn(BystanderFlows.InitiatorCookie, BystanderFlows.ResponderCookie),
        "pptp-in" => TcpFrame(Remote, 1723, Public, 1100, TcpFlags.Psh | TcpFlags.Ack, data: PptpMessage(PptpControlType.EchoRequest)),
        "ah-out" => Ike.AhFrame(Attacker, Remote, 0x5000),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TruncatedFrame_AtEveryLength_IsMalformed(string kind)
    {
        var run = new HostileRun();

        foreach (var prefix in Truncations(Good(kind)))
            run.HitAndCheck(prefix).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void HeaderLengthBelowFiveWords_IsMalformed(int words)
    {
        var run = new HostileRun();

        run.HitAndCheck(WithHeaderWords(Good("udp-out"), words)).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void HeaderLengthBeyondTheDatagram_IsMalformed()
    {
        var run = new HostileRun();
        var frame = Good("esp-in");
        Assert.True(Dissect(frame).IpTotalLength < 60);

        run.HitAndCheck(WithHeaderWords(frame, 15)).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void HeaderLengthThatSwallowsTheTransportHeader_IsMalformed()
    {
        // IHL 8 claims 12 bytes of options: the TCP header would start inside itself, 8 bytes short of its 20.
        var run = new HostileRun();

        run.HitAndCheck(WithHeaderWords(Good("tcp-syn-out"), 8)).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    public void TotalLengthBelowTheHeader_IsMalformed(int totalLength)
    {
        var run = new HostileRun();

        run.HitAndCheck(WithTotalLength(Good("udp-out"), totalLength)).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void TotalLengthBeyondTheFrame_IsMalformed(int beyond)
    {
        var run = new HostileRun();
        var frame = Good("esp-in");
        int totalLength = beyond == 1 ? Dissect(frame).IpTotalLength + 1 : beyond;

        run.HitAndCheck(WithTotalLength(frame, totalLength)).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(15)]
    public void VersionOtherThanFour_InAnIpv4Frame_IsMalformed(int version)
    {
        var run = new HostileRun();

        run.HitAndCheck(WithVersion(Good("udp-out"), version)).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x40)]
    public void TcpDataOffsetBelowFiveWords_IsMalformed(byte dataOffset)
    {
        var run = new HostileRun();

        run.HitAndCheck(WithPayloadBytes(Good("tcp-syn-out"), 12, dataOffset)).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void TcpDataOffsetBeyondTheSegment_IsMalformed()
    {
        var run = new HostileRun();

        run.HitAndCheck(WithPayloadBytes(Good("pptp-in"), 12, 0xF0)).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void UdpLengthBelowItsHeader_IsMalformed(int udpLength)
    {
        var run = new HostileRun();

        run.HitAndCheck(WithPayloadBytes(Good("udp-out"), 4, 0, (byte)udpLength)).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0xFFFF)]
    public void UdpLengthBeyondTheDatagram_IsMalformed(int beyond)
    {
        var run = new HostileRun();
        var frame = Good("isakmp-in");
        int udpLength = beyond == 1 ? Dissect(frame).IpTotalLength - Ipv4Header.MinLength + 1 : beyond;

        run.HitAndCheck(WithPayloadBytes(frame, 4, (byte)(udpLength >> 8), (byte)udpLength)).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void WrongIpHeaderChecksum_IsBadChecksum()
    {
        var run = new HostileRun();
        var frame = Good("esp-in");
        frame[Ip + Ipv4Header.ChecksumOffset] ^= 0x55;

        run.HitAndCheck(frame).AssertDropped(DropReason.BadChecksum);
    }

    [Fact]
    public void WrongTransportChecksum_OnABystandersMapping_IsBadChecksum()
    {
        var run = new HostileRun();
        var frame = Good("pptp-in");
        frame[Ip + Ipv4Header.MinLength + 16] ^= 0x55;

        run.HitAndCheck(frame).AssertDropped(DropReason.BadChecksum);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void TtlThatWouldReachZero_IsTtlExceeded(byte ttl)
    {
        var run = new HostileRun();

        run.HitAndCheck(WithTtl(Good("esp-in"), ttl)).AssertDropped(DropReason.TtlExceeded);
    }

    [Fact]
    public void Ieee8023LengthFrame_IsNotIpv4()
    {
        var run = new HostileRun();
        var frame = Good("udp-out");
        frame[12] = 0x00;
        frame[13] = 0x40;

        run.HitAndCheck(frame).AssertDropped(DropReason.NotIpv4);
    }

    [Fact]
    public void Ipv4DatagramUnderTheIpv6EtherType_IsNotIpv4()
    {
        var run = new HostileRun();
        var frame = Good("esp-in");
        frame[12] = (byte)(EtherType.Ipv6 >> 8);
        frame[13] = unchecked((byte)EtherType.Ipv6);

        run.HitAndCheck(frame).AssertDropped(DropReason.NotIpv4);
    }

    [Fact]
    public void IpOptions_AreCarriedThrough_AndTheTransportIsReadAfterThem()
    {
        // Options are legal (RFC 791): the gateway must find UDP after them, both ways, and keep them as they are.
        byte[] options = [0x01, 0x01, 0x01, 0x00, 0x94, 0x04, 0x00, 0x00];
        var run = new HostileRun();

        var outbound = Dissect(run.HitAndCheck(WithOptions(Good("udp-out"), options)).AssertForwarded(Side.Outside)[0]);
        var reply = run.HitAndCheck(WithOptions(UdpFrame(Remote, 53, Public, outbound.SourcePort, [5]), options)).AssertForwarded(Side.Inside)[0];

        Assert.Equal((Public, Ipv4Header.MinLength + options.Length), (outbound.Source, outbound.IpHeaderLength));
        Assert.Equal((Attacker, (ushort)6000, 28), (Dissect(reply).Destination, Dissect(reply).DestinationPort, Dissect(reply).IpHeaderLength));
    }
}
