using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.Pptp.PptpClient;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Pptp;

// DESIGN §3.4: the gateway reads the control messages in the TCP 1723 stream, however the
// segments cut them, and rewrites Call IDs without changing any length.
public sealed class PptpControlStreamTests
{
    private const ushort SharedCallId = 0x0105;

    /// <summary>Client A holds <see cref="SharedCallId"/> towards the server, so client B's same Call ID must be changed.</summary>
    private static (GatewayUnderTest Gateway, PptpClient B, ushort OutsideA) ClientBAfterA()
    {
        var gateway = GatewayUnderTest.Create();
        ushort outsideA = new PptpClient(gateway, InsideA, 1025).PlaceCall(SharedCallId, 0x4001);
        return (gateway, new PptpClient(gateway, InsideB, 1026), outsideA);
    }

    [Fact]
    public void CallIdFieldSplitAcrossSegments_IsStillTranslated()
    {
        var (gateway, b, outsideA) = ClientBAfterA();
        var request = PptpMessage(PptpControlType.OutgoingCallRequest, SharedCallId);

        var first = b.Tcp.InsideSends(request[..13]).Outside;     // ends with the Call ID's high byte
        var second = b.Tcp.InsideSends(request[13..]).Outside;    // starts with its low byte
        ushort outsideB = (ushort)((PayloadOf(first)[12] << 8) | PayloadOf(second)[0]);
        var reply = b.Tcp.RemoteSends(PptpMessage(PptpControlType.OutgoingCallReply, 0x4002, outsideB, resultCode: 1)).Inside;
        var gre = gateway.Send(GreFrame(Remote, Public, outsideB)).Inside;

        Assert.NotEqual(outsideA, outsideB);
        Assert.Equal(SharedCallId, PeerCallIdField(reply));
        Assert.Equal((InsideB, SharedCallId), (Dissect(gre).Destination, GreCallId(gre)));
    }

    [Fact]
    public void HeaderCutBeforeMagicCookie_IsReadAcrossSegments()
    {
        var (_, b, outsideA) = ClientBAfterA();
        var request = PptpMessage(PptpControlType.OutgoingCallRequest, SharedCallId);

        var first = b.Tcp.InsideSends(request[..4]).Outside;
        var second = b.Tcp.InsideSends(request[4..]).Outside;

        Assert.Equal(request[..4], PayloadOf(first));
        Assert.NotEqual(outsideA, ReadUInt16(PayloadOf(second), 12 - 4));
    }

    [Fact]
    public void SeveralMessagesInOneSegment_AreEachTranslated()
    {
        var gateway = GatewayUnderTest.Create();
        var a = new PptpClient(gateway, InsideA, 1025);
        a.PlaceCall(5, 0x4001);
        a.PlaceCall(7, 0x4002);
        var b = new PptpClient(gateway, InsideB, 1026);

        var requests = b.Tcp.InsideSends(
            PptpMessage(PptpControlType.EchoRequest),
            PptpMessage(PptpControlType.OutgoingCallRequest, 5),
            PptpMessage(PptpControlType.OutgoingCallRequest, 7)).Outside;
        ushort outside5 = CallIdField(requests, 16), outside7 = CallIdField(requests, 16 + 168);
        var replies = b.Tcp.RemoteSends(
            PptpMessage(PptpControlType.OutgoingCallReply, 0x4003, outside5, resultCode: 1),
            PptpMessage(PptpControlType.OutgoingCallReply, 0x4004, outside7, resultCode: 1)).Inside;

        Assert.Equal(4, new[] { 5, 7, outside5, outside7 }.Distinct().Count());
        Assert.Equal(((ushort)5, (ushort)7), (PeerCallIdField(replies), PeerCallIdField(replies, 32)));
    }

    [Fact]
    public void WrongMagicCookie_IsDroppedMalformed()
    {
        var b = ClientBAfterA().B;
        var request = PptpMessage(PptpControlType.OutgoingCallRequest, SharedCallId);
        request[7] ^= 0xFF;

        b.Tcp.InsideSends(request).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void RetransmittedSegment_IsRewrittenIdentically()
    {
        var (gateway, b, _) = ClientBAfterA();
        var request = PptpMessage(PptpControlType.OutgoingCallRequest, SharedCallId);
        var segment = b.Tcp.InsideSegment(TcpFlags.Psh | TcpFlags.Ack, request);

        var first = gateway.Send(segment).Outside;
        var again = gateway.Send(segment).Outside;

        Assert.NotEqual(SharedCallId, CallIdField(first));
        Assert.Equal(first, again);
    }

    [Fact]
    public void SegmentAfterGap_IsDroppedOutOfOrder()
    {
        var (gateway, b, _) = ClientBAfterA();
        var request = PptpMessage(PptpControlType.OutgoingCallRequest, SharedCallId);

        var outcome = gateway.Send(b.Tcp.InsideSegment(TcpFlags.Psh | TcpFlags.Ack, request, b.Tcp.InsideSequence + 100));

        outcome.AssertDropped(DropReason.PptpOutOfOrder);
    }

    [Fact]
    public void CallIdRewrite_KeepsLengthsAndChangesOnlyTheCallId()
    {
        var (gateway, b, _) = ClientBAfterA();
        var segment = b.Tcp.InsideSegment(TcpFlags.Psh | TcpFlags.Ack, PptpMessage(PptpControlType.OutgoingCallRequest, SharedCallId));

        var sent = gateway.Send(segment).Outside;   // checksums are checked by GatewayUnderTest

        var changed = Enumerable.Range(0, PayloadOf(segment).Length).Where(i => PayloadOf(segment)[i] != PayloadOf(sent)[i]);
        Assert.Equal((segment.Length, Dissect(segment).IpTotalLength), (sent.Length, Dissect(sent).IpTotalLength));
        Assert.Equal([13], changed);
    }
    [Fact]
    public void CallIdsWithSameHighByteExhausted_OutgoingCallRequestIsDroppedNotGivenAnotherClientsId()
    {
        // Only the low byte can be rewritten (the high byte may already have left in an earlier segment),
        // so when A holds all 256 IDs 0x01xx, B's 0x0105 has no outside ID that could reach B alone.
        var gateway = GatewayUnderTest.Create();
        var a = new PptpClient(gateway, InsideA, 1025);
        foreach (var chunk in Enumerable.Range(0x0100, 256).Chunk(8))
            a.Tcp.InsideSends(chunk.Select(id => PptpMessage(PptpControlType.OutgoingCallRequest, (ushort)id)).ToArray()).Sent(Side.Outside);
        var b = new PptpClient(gateway, InsideB, 1026);

        var outcome = b.Tcp.InsideSends(PptpMessage(PptpControlType.OutgoingCallRequest, SharedCallId));

        outcome.AssertDropped(DropReason.PptpCallIdExhausted);
    }
}
