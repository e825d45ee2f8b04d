using System.Buffers.Binary;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Masquerade.Pptp;
using static VpnMasq.Protocols.Tests.Masquerade.Hostile.HostileFrames;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

// Issue 10 / DESIGN §3.4, §5.2: hostile PPTP control messages on the attacker's own control connection to the
// bystander's server, and hostile GRE. A message that does not parse is "malformed"; nothing the attacker says
// on its connection may reach host D's call, and GRE whose key maps no call is "no-mapping".
public sealed class PptpGreHostileTests
{
    private const TcpFlags Data = TcpFlags.Psh | TcpFlags.Ack;

    /// <summary>The attacker's control connection to the server host D uses, started as a real client would.</summary>
    private static PptpClient AttackersControlConnection(HostileRun run) => new(run.Target, Attacker, 1200);

    private static byte[] FromAttacker(PptpClient client, byte[] message)
    {
        var frame = client.Tcp.InsideSegment(Data, message);
        client.Tcp.InsideSequence += (uint)message.Length;
        return frame;
    }

    private static byte[] ToAttacker(PptpClient client, byte[] message)
    {
        var frame = client.Tcp.RemoteSegment(Data, message);
        client.Tcp.RemoteSequence += (uint)message.Length;
        return frame;
    }

    private static byte[] Set16(byte[] message, int offset, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(offset), value);
        return message;
    }

    [Fact]
    public void WrongMagicCookie_EitherWay_IsMalformed()
    {
        var run = new HostileRun();
        var client = AttackersControlConnection(run);
        var outbound = PptpMessage(PptpControlType.EchoRequest);
        outbound[4] ^= 0xFF;
        var inbound = PptpMessage(PptpControlType.EchoReply);
        inbound[7] ^= 0x01;

        run.HitAndCheck(FromAttacker(client, outbound)).AssertDropped(DropReason.Malformed);
        run.HitAndCheck(ToAttacker(client, inbound)).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(0xFFFF)]
    public void UnknownControlMessageType_IsMalformed(int type)
    {
        var run = new HostileRun();
        var client = AttackersControlConnection(run);

        run.HitAndCheck(FromAttacker(client, Set16(PptpMessage(PptpControlType.EchoRequest), 8, (ushort)type))).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void PptpMessageTypeOtherThanControl_IsMalformed()
    {
        var run = new HostileRun();
        var client = AttackersControlConnection(run);

        run.HitAndCheck(FromAttacker(client, Set16(PptpMessage(PptpControlType.EchoRequest), 2, 2))).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(167)]
    public void LengthShorterThanTheMessageTypesFields_IsMalformed(int length)
    {
        var run = new HostileRun();
        var client = AttackersControlConnection(run);

        run.HitAndCheck(FromAttacker(client, Set16(PptpMessage(PptpControlType.OutgoingCallRequest, 9), 0, (ushort)length))).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void LengthBeyondTheSegment_IsForwarded_TheRestOfTheMessageIsAwaitedInTheNextSegments()
    {
        // Messages may be split across segments (DESIGN §3.4), so a length the segment does not hold is not a lie yet.
        var run = new HostileRun();
        var client = AttackersControlConnection(run);

        run.HitAndCheck(FromAttacker(client, Set16(PptpMessage(PptpControlType.EchoRequest), 0, 0xFFFF))).AssertForwarded(Side.Outside);
        run.HitAndCheck(FromAttacker(client, new byte[100])).AssertForwarded(Side.Outside);
    }

    [Fact]
    public void CallIdZero_FromAClient_IsMasqueradedToAnIdThatIsNeitherZeroNorTheBystanders()
    {
        var run = new HostileRun();
        var client = AttackersControlConnection(run);

        var sent = run.HitAndCheck(FromAttacker(client, PptpMessage(PptpControlType.OutgoingCallRequest, 0))).AssertForwarded(Side.Outside);

        ushort masqueraded = PptpClient.CallIdField(Assert.Single(sent));
        Assert.NotEqual(0, masqueraded);
        Assert.NotEqual(BystanderFlows.ClientCallId, masqueraded);
    }

    [Fact]
    public void TheBystandersCallId_FromAnotherClient_IsMasqueradedToAnotherId()
    {
        var run = new HostileRun();
        var client = AttackersControlConnection(run);

        var sent = run.HitAndCheck(FromAttacker(client, PptpMessage(PptpControlType.OutgoingCallRequest, BystanderFlows.ClientCallId))).AssertForwarded(Side.Outside);

        Assert.NotEqual(BystanderFlows.ClientCallId, PptpClient.CallIdField(Assert.Single(sent)));
    }

    [Fact]
    public void CallEndingMessagesNamingTheBystandersCall_OnAnotherConnection_LeaveItsCallAlone()
    {
        var run = new HostileRun();
        var client = AttackersControlConnection(run);

        run.HitAndCheck(FromAttacker(client, PptpMessage(PptpControlType.CallClearRequest, BystanderFlows.ClientCallId))).AssertForwarded(Side.Outside);
        run.HitAndCheck(FromAttacker(client, PptpMessage(PptpControlType.CallDisconnectNotify, BystanderFlows.ClientCallId))).AssertForwarded(Side.Outside);
        run.HitAndCheck(ToAttacker(client, PptpMessage(PptpControlType.CallDisconnectNotify, BystanderFlows.ServerCallId))).AssertForwarded(Side.Inside);
        run.HitAndCheck(ToAttacker(client, PptpMessage(PptpControlType.WanErrorNotify, peerCallId: BystanderFlows.ClientCallId))).AssertForwarded(Side.Inside);
        run.HitAndCheck(ToAttacker(client, PptpMessage(PptpControlType.StopControlConnectionRequest))).AssertForwarded(Side.Inside);
    }

    [Fact]
    public void SegmentIntoTheBystandersControlConnection_AheadOfItsStream_IsPptpOutOfOrder_AndMovesNothing()
    {
        // With RST set: were the connection tracked before the segment was refused, host D's call would end with it.
        var run = new HostileRun();
        var spoofed = TcpFrame(Remote, PptpControlMessage.TcpPort, Public, 1100, Data | TcpFlags.Rst, sequence: 0x7000_0000,
            data: PptpMessage(PptpControlType.StopControlConnectionRequest));

        run.HitAndCheck(spoofed).AssertDropped(DropReason.PptpOutOfOrder);
    }

    [Theory]
    [InlineData(TcpFlags.Rst)]
    [InlineData(TcpFlags.Rst | TcpFlags.Ack)]
    [InlineData(TcpFlags.Fin | TcpFlags.Ack)]
    public void BlindRstOrFinIntoTheBystandersControlConnection_AwayFromItsStream_IsPptpOutOfOrder(TcpFlags flags)
    {
        // Without data the segment is not checked against the stream as data is; it would end host D's call.
        var run = new HostileRun();

        foreach (uint sequence in new uint[] { 0, 0x7000_0000, 0xFFFF_0000 })
            run.HitAndCheck(TcpFrame(Remote, PptpControlMessage.TcpPort, Public, 1100, flags, sequence)).AssertDropped(DropReason.PptpOutOfOrder);
    }

    [Fact]
    public void GreVersionOneWithoutTheKeyBit_IsMalformed()
    {
        var run = new HostileRun();
        var frame = GreFrame(Remote, Public, 0);
        frame = WithPayloadBytes(frame, 0, (byte)(frame[Ip + Ipv4Header.MinLength] & ~0x20));

        run.HitAndCheck(frame).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    public void GreOfAnUnknownVersion_IsMalformed(int version)
    {
        var run = new HostileRun();
        var frame = GreFrame(Remote, Public, 0x0101);
        frame = WithPayloadBytes(frame, 1, (byte)((frame[Ip + Ipv4Header.MinLength + 1] & 0xF8) | version));

        run.HitAndCheck(frame).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void GrePayloadLengthBeyondThePacket_IsMalformed()
    {
        var run = new HostileRun();

        run.HitAndCheck(WithPayloadBytes(GreFrame(Remote, Public, 0x0101), 4, 0x05, 0xDC)).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void GreWithKeyZero_FromTheBystandersServer_IsNoMapping()
    {
        var run = new HostileRun();

        run.HitAndCheck(GreFrame(Remote, Public, 0)).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void GreWithTheBystandersKey_FromAnotherRemote_IsNoMapping()
    {
        var run = new HostileRun();
        ushort key = new BystanderFlows(GatewayUnderTest.Create()).OutsideCallId;

        run.HitAndCheck(GreFrame(BystanderFlows.OtherRemote, Public, key)).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void GreVersionZero_FromOutside_WithoutAForward_IsNoMapping()
    {
        var run = new HostileRun();
        byte[] gre = [0x00, 0x00, 0x08, 0x00, 0x45, 0x00, 0x00, 0x14];

        run.HitAndCheck(Ethernet(Datagram(Remote, Public, IpProtocol.Gre, gre))).AssertDropped(DropReason.NoMapping);
    }
}
