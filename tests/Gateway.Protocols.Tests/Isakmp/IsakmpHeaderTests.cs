using VpnMasq.Protocols.Isakmp;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Isakmp;

public sealed class IsakmpHeaderTests
{
    // IKEv2 IKE_SA_INIT response: SPIi, SPIr, next payload SA (33), version 2.0, exchange 34,
    // flags Response (0x20), message id 0, length 0x24 (36), then 8 bytes of payload.
    private static readonly byte[] Ikev2 = Hex(
        "0102030405060708 a1a2a3a4a5a6a7a8 21 20 22 20 00000000 00000024 0000000000000000");

    // IKEv1 main mode from the initiator: version 1.0, exchange 2, flags 0, message id 01020304, length 28.
    private static readonly byte[] Ikev1 = Hex(
        "1112131415161718 0000000000000000 01 10 02 00 01020304 0000001c");

    private static IsakmpHeader Parsed(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Ok, IsakmpHeader.Parse(bytes, out var header));
        return header;
    }

    [Fact]
    public void InitiatorCookie_ReadsBigEndianAtOffset0() => Assert.Equal(0x0102_0304_0506_0708ul, Parsed(Ikev2).InitiatorCookie);

    [Fact]
    public void ResponderCookie_ReadsBigEndianAtOffset8() => Assert.Equal(0xA1A2_A3A4_A5A6_A7A8ul, Parsed(Ikev2).ResponderCookie);

    [Fact]
    public void NextPayload_ReadsByte16() => Assert.Equal(33, Parsed(Ikev2).NextPayload);

    [Fact]
    public void MajorVersion_IsHighNibbleOfByte17() => Assert.Equal(2, Parsed(Ikev2).MajorVersion);

    [Fact]
    public void MinorVersion_IsLowNibbleOfByte17()
    {
        var bytes = (byte[])Ikev1.Clone();
        bytes[17] = 0x1A;

        Assert.Equal(0xA, Parsed(bytes).MinorVersion);
    }

    [Fact]
    public void ExchangeType_ReadsByte18() => Assert.Equal(34, Parsed(Ikev2).ExchangeType);

    [Fact]
    public void Flags_ReadsByte19() => Assert.Equal(0x20, Parsed(Ikev2).Flags);

    [Fact]
    public void MessageId_ReadsBigEndianAtOffset20() => Assert.Equal(0x0102_0304u, Parsed(Ikev1).MessageId);

    [Fact]
    public void MessageLength_ReadsBigEndianAtOffset24() => Assert.Equal(36u, Parsed(Ikev2).MessageLength);

    [Fact]
    public void IsResponse_Ikev2ResponseFlag_IsTrue() => Assert.True(Parsed(Ikev2).IsResponse);

    [Fact]
    public void IsFromOriginalInitiator_Ikev2WithoutInitiatorFlag_IsFalse() => Assert.False(Parsed(Ikev2).IsFromOriginalInitiator);

    [Fact]
    public void IsFromOriginalInitiator_Ikev2InitiatorFlag_IsTrue()
    {
        var bytes = (byte[])Ikev2.Clone();
        bytes[19] = 0x08;

        Assert.True(Parsed(bytes).IsFromOriginalInitiator);
    }

    [Fact]
    public void IsResponse_Ikev1WithBit0x20Set_IsFalse()
    {
        // In IKEv1 that bit is the Authentication Only flag, not a response marker.
        var bytes = (byte[])Ikev1.Clone();
        bytes[19] = 0x20;

        Assert.False(Parsed(bytes).IsResponse);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(27)]
    public void Parse_LengthBelow28_ReturnsMalformed(int length)
    {
        var bytes = (byte[])Ikev1.Clone();
        bytes[27] = (byte)length;

        Assert.Equal(ParseStatus.Malformed, IsakmpHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_LengthBeyondBuffer_ReturnsTooShort()
    {
        var bytes = (byte[])Ikev1.Clone();
        bytes[27] = 29;

        Assert.Equal(ParseStatus.TooShort, IsakmpHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_HugeLengthField_ReturnsTooShort()
    {
        var bytes = (byte[])Ikev1.Clone();
        bytes[24] = 0xFF; // 0xFF00001C: must not overflow into a negative int

        Assert.Equal(ParseStatus.TooShort, IsakmpHeader.Parse(bytes, out _));
    }

    [Theory]
    [InlineData(0x30)]
    [InlineData(0x00)]
    [InlineData(0xF0)]
    public void Parse_MajorVersionNeither1Nor2_ReturnsMalformed(byte version)
    {
        var bytes = (byte[])Ikev1.Clone();
        bytes[17] = version;

        Assert.Equal(ParseStatus.Malformed, IsakmpHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_EveryTruncatedPrefix_ReturnsTooShort()
    {
        for (int length = 0; length < Ikev2.Length; length++)
            Assert.Equal(ParseStatus.TooShort, IsakmpHeader.Parse(Ikev2.AsSpan(0, length), out _));
    }
}
