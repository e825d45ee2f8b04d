using CsCheck;
using VpnMasq.Protocols.Ah;
using VpnMasq.Protocols.Tests.Support;
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
    public void ParseOfWriteTo_RandomFieldsAndIcv_GivesBackTheFields()
    {
        // Payload Len 1..255: from the bare 12-byte header to the largest, 1028 bytes. The ICV and
        // whatever the AH protects follow as random bytes.
        Gen.Select(Gen.Byte, Gen.Int[1, 255], Gen.UInt, Gen.UInt, Gen.Int[0, 32])
            .Select(t => (Fields: new AhFields(t.Item1, (t.Item2 + 2) * 4, t.Item3, t.Item4), Trailing: t.Item5))
            .SelectMany(t => Gen.Byte.Array[t.Fields.HeaderLength + t.Trailing].Select(bytes => (t.Fields, Bytes: bytes)))
            .Sample(t =>
            {
                t.Fields.WriteTo(t.Bytes);

                Assert.Equal(ParseStatus.Ok, AhHeader.Parse(t.Bytes, out var header));
                Assert.Equal(t.Fields, AhFields.From(header));
            });
    }

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
