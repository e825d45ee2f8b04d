using VpnMasq.Protocols.Gre;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Gre;

public sealed class GreHeaderTests
{
    // Enhanced GRE (RFC 2637 §4.1): K and S set, A set, version 1, PPP; payload length 4, call id 4a2b,
    // sequence 7, acknowledgment 6, then 4 bytes of PPP.
    private static readonly byte[] Enhanced = Hex("30 81 880b 0004 4a2b 00000007 00000006 ff030021");

    private static GreHeader Parsed(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Ok, GreHeader.Parse(bytes, out var header));
        return header;
    }

    [Fact]
    public void Version_IsLowThreeBitsOfByte1() => Assert.Equal(1, Parsed(Enhanced).Version);

    [Fact]
    public void ProtocolType_ReadsBigEndianAtOffset2() => Assert.Equal(0x880B, Parsed(Enhanced).ProtocolType);

    [Fact]
    public void PayloadLength_IsHighHalfOfKey() => Assert.Equal(4, Parsed(Enhanced).PayloadLength);

    [Fact]
    public void CallId_IsLowHalfOfKey() => Assert.Equal(0x4A2B, Parsed(Enhanced).CallId);

    [Fact]
    public void KeyOffset_Version1_Is4() => Assert.Equal(4, Parsed(Enhanced).KeyOffset);

    [Fact]
    public void SequenceNumber_FollowsTheKey() => Assert.Equal(7u, Parsed(Enhanced).SequenceNumber);

    [Fact]
    public void AcknowledgmentNumber_FollowsTheSequenceNumber() => Assert.Equal(6u, Parsed(Enhanced).AcknowledgmentNumber);

    [Fact]
    public void Length_WithSequenceAndAck_Is16() => Assert.Equal(16, Parsed(Enhanced).Length);

    [Fact]
    public void Payload_FollowsTheHeader() => Assert.Equal(Hex("ff030021"), Parsed(Enhanced).Payload.ToArray());

    [Fact]
    public void AcknowledgmentNumber_WithoutSequence_FollowsTheKey()
    {
        var bytes = Hex("20 81 880b 0000 4a2b 00000009");

        Assert.Equal(9u, Parsed(bytes).AcknowledgmentNumber);
    }

    [Fact]
    public void HasSequence_AckOnly_IsFalse() => Assert.False(Parsed(Hex("20 81 880b 0000 4a2b 00000009")).HasSequence);

    [Fact]
    public void Parse_Version1WithoutKey_ReturnsMalformed() =>
        Assert.Equal(ParseStatus.Malformed, GreHeader.Parse(Hex("10 01 880b 00000007 00000000"), out _));

    [Theory]
    [InlineData(0x80)] // C
    [InlineData(0x40)] // R
    [InlineData(0x08)] // s (strict source route)
    [InlineData(0x01)] // Recur
    public void Parse_Version1WithFlagThatMustBeZero_ReturnsMalformed(byte flag)
    {
        var bytes = (byte[])Enhanced.Clone();
        bytes[0] |= flag;

        Assert.Equal(ParseStatus.Malformed, GreHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_Version1WithReservedFlagsInByte1_ReturnsMalformed()
    {
        var bytes = (byte[])Enhanced.Clone();
        bytes[1] |= 0x08;

        Assert.Equal(ParseStatus.Malformed, GreHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_Version1PayloadLengthBeyondBuffer_ReturnsTooShort()
    {
        var bytes = (byte[])Enhanced.Clone();
        bytes[5] = 5;

        Assert.Equal(ParseStatus.TooShort, GreHeader.Parse(bytes, out _));
    }

    [Fact]
    public void FirstFragment_HoldingLessPayloadThanItsPayloadLengthSays_Parses()
    {
        // Found by fuzzing (gateway target): a 977-byte PPTP data packet cut to a 576-byte MTU. Its first fragment
        // carries the whole header but only part of the 945 payload bytes the key declares; refusing it as
        // too short refuses every fragmented GRE v1 datagram.
        var firstFragment = Hex("3001 880b 03b1 da80 000025b4 ff03 0021");

        Assert.Equal(ParseStatus.Ok, GreHeader.Parse(firstFragment, out var gre, isFragment: true));
        Assert.Equal(945, gre.PayloadLength);
        Assert.Equal(12, gre.Length);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    public void Parse_VersionAbove1_ReturnsUnsupported(int version)
    {
        var bytes = (byte[])Enhanced.Clone();
        bytes[1] = (byte)(0x80 | version);

        Assert.Equal(ParseStatus.Unsupported, GreHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_EveryTruncatedPrefixOfVersion1_ReturnsTooShort()
    {
        for (int length = 0; length < Enhanced.Length; length++)
            Assert.Equal(ParseStatus.TooShort, GreHeader.Parse(Enhanced.AsSpan(0, length), out _));
    }

    [Fact]
    public void Length_Version0WithoutOptions_Is4() => Assert.Equal(4, Parsed(Hex("0000 0800 45")).Length);

    [Fact]
    public void Checksum_Version0WithC_ReadsBigEndianAtOffset4() => Assert.Equal(0xBEEF, Parsed(Hex("8000 0800 beef 0000")).Checksum);

    [Fact]
    public void Key_Version0WithKOnly_ReadsBigEndianAtOffset4() => Assert.Equal(0x0102_0304u, Parsed(Hex("2000 0800 01020304")).Key);

    [Fact]
    public void SequenceNumber_Version0WithCKS_ReadsBigEndianAtOffset12() =>
        Assert.Equal(0x0A0B_0C0Du, Parsed(Hex("b000 0800 beef 0000 01020304 0a0b0c0d")).SequenceNumber);

    [Fact]
    public void HasAcknowledgment_Version0WithBit0x80InByte1_IsFalse() =>
        Assert.False(Parsed(Hex("0080 0800")).HasAcknowledgment);

    [Fact]
    public void Key_Version0WithRoutingOnly_FollowsTheChecksumAndOffsetWord()
    {
        // R without C still carries the Checksum and Offset fields (RFC 1701 §2.1).
        var bytes = Hex("60 00 0800 0000 0000 01020304 0000 00 00");

        Assert.Equal(0x0102_0304u, Parsed(bytes).Key);
    }

    [Fact]
    public void Length_Version0WithRoutingSres_CoversEveryEntryAndTheNullTerminator()
    {
        // RFC 1701 §2.1: SREs of family(2) offset(1) length(1) data, ended by family 0 and length 0.
        var bytes = Hex("40 00 0800 0000 0000 0800 00 08 0a0000010a000002 0800 00 04 0a000003 0000 00 00 45");

        Assert.Equal(8 + 12 + 8 + 4, Parsed(bytes).Length);
    }

    [Fact]
    public void Parse_Version0RoutingWithoutTerminator_ReturnsTooShort() =>
        Assert.Equal(ParseStatus.TooShort, GreHeader.Parse(Hex("40 00 0800 0000 0000 0800 00 04 0a000003"), out _));

    [Fact]
    public void Parse_Version0SreLongerThanBuffer_ReturnsTooShort() =>
        Assert.Equal(ParseStatus.TooShort, GreHeader.Parse(Hex("40 00 0800 0000 0000 0800 00 10 0a000003"), out _));

    [Fact]
    public void Parse_Version0KeyBeyondBuffer_ReturnsTooShort() =>
        Assert.Equal(ParseStatus.TooShort, GreHeader.Parse(Hex("2000 0800 0102"), out _));
}
