using VpnMasq.Protocols.Pptp;

namespace VpnMasq.Protocols.Tests.Pptp;

public sealed class PptpControlMessageTests
{
    private static byte[] Ocrp() => Rfc2637.Message(PptpControlType.OutgoingCallReply, 32, 12, 0xC0DE, 14, 0xBEEF);

    private static PptpControlMessage Parsed(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Ok, PptpControlMessage.Parse(bytes, out var message));
        return message;
    }

    [Theory]
    [MemberData(nameof(Rfc2637.All), MemberType = typeof(Rfc2637))]
    public void CallId_EachType_IsReadAtTheRfc2637Offset(PptpControlType type, int length, int callIdOffset, int peerCallIdOffset)
    {
        var bytes = Rfc2637.Message(type, length, callIdOffset, 0xC0DE, peerCallIdOffset, 0xBEEF);

        Assert.Equal(callIdOffset >= 0 ? 0xC0DE : 0, Parsed(bytes).CallId);
    }

    [Theory]
    [MemberData(nameof(Rfc2637.All), MemberType = typeof(Rfc2637))]
    public void PeerCallId_EachType_IsReadAtTheRfc2637Offset(PptpControlType type, int length, int callIdOffset, int peerCallIdOffset)
    {
        var bytes = Rfc2637.Message(type, length, callIdOffset, 0xC0DE, peerCallIdOffset, 0xBEEF);

        Assert.Equal(peerCallIdOffset >= 0 ? 0xBEEF : 0, Parsed(bytes).PeerCallId);
    }

    [Theory]
    [MemberData(nameof(Rfc2637.All), MemberType = typeof(Rfc2637))]
    public void Layout_EachType_MatchesRfc2637(PptpControlType type, int length, int callIdOffset, int peerCallIdOffset)
    {
        Assert.True(PptpMessageLayout.TryGet((ushort)type, out var layout));
        Assert.Equal(new PptpMessageLayout((ushort)length, (sbyte)callIdOffset, (sbyte)peerCallIdOffset), layout);
    }

    [Theory]
    [MemberData(nameof(Rfc2637.All), MemberType = typeof(Rfc2637))]
    public void Parse_EachTypeOneByteShorterThanItsFixedSize_ReturnsMalformed(PptpControlType type, int length, int callIdOffset, int peerCallIdOffset)
    {
        var bytes = Rfc2637.Message(type, length, callIdOffset, 1, peerCallIdOffset, 2);
        bytes[0] = (byte)((length - 1) >> 8);
        bytes[1] = (byte)(length - 1);

        Assert.Equal(ParseStatus.Malformed, PptpControlMessage.Parse(bytes, out _));
    }

    [Fact]
    public void Length_ReadsBigEndianAtOffset0() => Assert.Equal(32, Parsed(Ocrp()).Length);

    [Fact]
    public void Type_ReadsBigEndianAtOffset8() => Assert.Equal(PptpControlType.OutgoingCallReply, Parsed(Ocrp()).Type);

    [Fact]
    public void Parse_WrongMagicCookie_ReturnsMalformed()
    {
        var bytes = Ocrp();
        bytes[7] = 0x4E;

        Assert.Equal(ParseStatus.Malformed, PptpControlMessage.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_ManagementMessageType_ReturnsMalformed()
    {
        var bytes = Ocrp();
        bytes[3] = 2;

        Assert.Equal(ParseStatus.Malformed, PptpControlMessage.Parse(bytes, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(0x0107)]
    public void Parse_ControlTypeOutside1To15_ReturnsMalformed(int controlType)
    {
        var bytes = Ocrp();
        bytes[8] = (byte)(controlType >> 8);
        bytes[9] = (byte)controlType;

        Assert.Equal(ParseStatus.Malformed, PptpControlMessage.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_LongerThanFixedSize_ReturnsOk()
    {
        var bytes = Rfc2637.Message(PptpControlType.CallClearRequest, 20, 12, 7, -1, 0);

        Assert.Equal(ParseStatus.Ok, PptpControlMessage.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_BufferHoldingTheNextMessageToo_EndsAtTheLengthField()
    {
        var bytes = Ocrp().Concat(Ocrp()).ToArray();

        Assert.Equal(32, Parsed(bytes).Length);
    }

    [Fact]
    public void Parse_EveryTruncatedPrefix_ReturnsTooShort()
    {
        var bytes = Ocrp();
        for (int length = 0; length < bytes.Length; length++)
            Assert.Equal(ParseStatus.TooShort, PptpControlMessage.Parse(bytes.AsSpan(0, length), out _));
    }

    [Fact]
    public void TryPeekLength_TwoBytes_ReadsTheLengthField()
    {
        Assert.True(PptpControlMessage.TryPeekLength([0x00, 0x9C], out int length));
        Assert.Equal(156, length);
    }

    [Fact]
    public void TryPeekLength_OneByte_ReturnsFalse() => Assert.False(PptpControlMessage.TryPeekLength([0x00], out _));
}
