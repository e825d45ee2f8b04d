using VpnMasq.Protocols.Ah;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Ah;

public sealed class AhHeaderTests
{
    // Next header TCP, payload len 4 ((4 + 2) * 4 = 24 bytes: 12 fixed + 12 ICV), SPI, sequence, ICV.
    private static readonly byte[] Sample = Hex("06 04 0000 cafebabe 00000102 0102030405060708090a0b0c");

    private static AhHeader Parsed(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Ok, AhHeader.Parse(bytes, out var header));
        return header;
    }

    [Fact]
    public void NextHeader_ReadsByte0() => Assert.Equal(6, Parsed(Sample).NextHeader);

    [Fact]
    public void HeaderLength_PayloadLen4_Is24Bytes() => Assert.Equal(24, Parsed(Sample).HeaderLength);

    [Fact]
    public void Spi_ReadsBigEndianAtOffset4() => Assert.Equal(0xCAFE_BABEu, Parsed(Sample).Spi);

    [Fact]
    public void SequenceNumber_ReadsBigEndianAtOffset8() => Assert.Equal(0x0102u, Parsed(Sample).SequenceNumber);

    [Fact]
    public void Parse_PayloadLenBelowFixedHeader_ReturnsMalformed()
    {
        var bytes = (byte[])Sample.Clone();
        bytes[1] = 0; // (0 + 2) * 4 = 8 < 12

        Assert.Equal(ParseStatus.Malformed, AhHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_IcvBeyondBuffer_ReturnsTooShort()
    {
        var bytes = (byte[])Sample.Clone();
        bytes[1] = 5;

        Assert.Equal(ParseStatus.TooShort, AhHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_EveryTruncatedPrefix_ReturnsTooShort()
    {
        for (int length = 0; length < Sample.Length; length++)
            Assert.Equal(ParseStatus.TooShort, AhHeader.Parse(Sample.AsSpan(0, length), out _));
    }
}
