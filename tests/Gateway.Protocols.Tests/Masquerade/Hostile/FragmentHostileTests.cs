using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.Hostile.HostileFrames;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

// Issue 10 / DESIGN §3.1: hostile IPv4 fragments. The gateway reassembles before it decides, so fragments that
// overlap with other bytes, do not line up, or would make a datagram over 65535 bytes are "fragment-invalid"; a
// first fragment too short for its transport header is "malformed" (RFC 1858's tiny fragment); fragments in any
// order that do complete are one datagram, decided once.
public sealed class FragmentHostileTests
{
    private const ushort Id = 0x4242;

    private static byte[] Pattern(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)((i * 7) + seed)).ToArray();

    /// <summary>A UDP datagram from the attacker to Remote:53 with 200 bytes of data, whole.</summary>
    private static byte[] AttackersDatagram() => UdpDatagram(Attacker, 6000, Remote, 53, Pattern(200, 1), Id);

    private static byte[] Piece(int offset, bool more, byte[] payload, byte protocol = IpProtocol.Udp, uint source = 0, uint destination = 0) =>
        Fragment(source == 0 ? Attacker : source, destination == 0 ? Remote : destination, protocol, Id, offset, more, payload);

    [Fact]
    public void FragmentsOutOfOrder_ThatComplete_PassAsOneDatagram()
    {
        var run = new HostileRun();
        var fragments = FragmentsOf(AttackersDatagram(), 20 + 64);
        Assert.Equal(4, fragments.Count);

        foreach (int i in new[] { 3, 1, 2 })
            run.HitAndCheck(fragments[i]).AssertHeld();
        var sent = run.HitAndCheck(fragments[0]).AssertForwarded(Side.Outside);

        Assert.All(sent, f => Assert.Equal(Public, Dissect(f).Source));
    }

    [Fact]
    public void FragmentOverlappingHeldBytes_WithOtherBytes_IsFragmentInvalid()
    {
        var run = new HostileRun();
        var data = Pattern(64, 2);

        run.HitAndCheck(Piece(64, more: true, data)).AssertHeld();
        run.HitAndCheck(Piece(32, more: true, Pattern(64, 3))).AssertDropped(DropReason.FragmentInvalid);
    }

    [Fact]
    public void FragmentRewritingTheTcpFlagsOfAHeldFirstFragment_IsFragmentInvalid()
    {
        // RFC 1858 §4: a second fragment at offset 8 that would turn a harmless segment into a SYN after the filter.
        var run = new HostileRun();
        var segment = Support.Datagrams.TcpSegment(new TcpFields(6001, 80, 1, 1, TcpFlags.Ack), Pattern(12, 4));
        var rewritten = segment[8..].ToArray();
        rewritten[13 - 8] = (byte)TcpFlags.Syn;

        run.HitAndCheck(Piece(0, more: true, segment, IpProtocol.Tcp)).AssertHeld();
        run.HitAndCheck(Piece(8, more: false, rewritten, IpProtocol.Tcp)).AssertDropped(DropReason.FragmentInvalid);
    }

    [Fact]
    public void TinyFirstFragment_HidingTheTcpHeader_IsMalformed_AndTheRestIsNeverDelivered()
    {
        var run = new HostileRun();
        var segment = Support.Datagrams.TcpSegment(new TcpFields(6001, 80, 1, 0, TcpFlags.Syn), Pattern(24, 5));

        run.HitAndCheck(Piece(0, more: true, segment[..8], IpProtocol.Tcp)).AssertDropped(DropReason.Malformed);
        run.HitAndCheck(Piece(8, more: false, segment[8..], IpProtocol.Tcp)).AssertHeld();
    }

    [Fact]
    public void FragmentNotAMultipleOfEight_BeforeTheLast_IsFragmentInvalid()
    {
        var run = new HostileRun();

        run.HitAndCheck(Piece(64, more: true, Pattern(30, 6))).AssertDropped(DropReason.FragmentInvalid);
    }

    [Fact]
    public void EmptyFragment_IsFragmentInvalid()
    {
        var run = new HostileRun();

        run.HitAndCheck(Piece(64, more: true, [])).AssertDropped(DropReason.FragmentInvalid);
    }

    [Fact]
    public void FragmentEndingBeyond65535Bytes_IsFragmentInvalid()
    {
        var run = new HostileRun();

        run.HitAndCheck(Piece(65528, more: false, Pattern(16, 7))).AssertDropped(DropReason.FragmentInvalid);
    }

    [Fact]
    public void LastFragmentDisagreeingWithTheKnownEnd_IsFragmentInvalid()
    {
        var run = new HostileRun();

        run.HitAndCheck(Piece(64, more: false, Pattern(16, 8))).AssertHeld();
        run.HitAndCheck(Piece(128, more: false, Pattern(16, 8))).AssertDropped(DropReason.FragmentInvalid);
    }

    [Fact]
    public void NeverCompletedTrain_IsHeld_AndForgottenAfterTheFragmentTimeout()
    {
        var run = new HostileRun(o => o with { Limits = new LimitOptions { FragmentTimeout = TimeSpan.FromSeconds(1) } });
        var fragments = FragmentsOf(AttackersDatagram(), 20 + 104);

        run.HitAndCheck(fragments[1]).AssertHeld();
        var started = run.Now;
        while (run.Now - started <= TimeSpan.FromSeconds(1))
            run.AssertBystandersUnaffected();

        // The first fragment now starts a train of its own: the held last piece is gone, so nothing completes.
        run.HitAndCheck(fragments[0]).AssertHeld();
    }

    [Fact]
    public void FragmentsOfADatagramToTheBystandersMapping_ThatOverlapWithOtherBytes_AreFragmentInvalid()
    {
        var run = new HostileRun();
        var reply = UdpDatagram(Remote, 53, Public, 5000, Pattern(120, 9), Id);
        var fragments = FragmentsOf(reply, 20 + 64);
        var forged = Fragment(Remote, Public, IpProtocol.Udp, Id, 64, more: false, Pattern(reply.Length - 20 - 64, 10));

        run.HitAndCheck(forged).AssertHeld();
        run.HitAndCheck(fragments[1]).AssertDropped(DropReason.FragmentInvalid);
        run.HitAndCheck(fragments[0]).AssertHeld();
    }

    [Fact]
    public void FragmentsWhoseWholeDatagramHasALyingUdpLength_AreMalformed()
    {
        var run = new HostileRun();
        var datagram = AttackersDatagram();
        datagram[24] = 0x7F;

        var fragments = FragmentsOf(datagram, 20 + 104);
        run.HitAndCheck(fragments[0]).AssertHeld();
        run.HitAndCheck(fragments[1]).AssertDropped(DropReason.Malformed);
    }
}
