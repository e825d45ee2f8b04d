using VpnMasq.Protocols.Udp;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Udp;

public sealed class UdpHeaderTests
{
    // ports 1194 -> 01f4 (500), length 000b (3 bytes of data), checksum abcd, data, then 2 bytes beyond Length.
    private static readonly byte[] Sample = Hex("1194 01f4 000b abcd 616263 eeee");

    private static UdpHeader Parsed(byte[] bytes, bool isFragment = false)
    {
        Assert.Equal(ParseStatus.Ok, UdpHeader.Parse(bytes, out var header, isFragment));
        return header;
    }

    [Fact]
    public void SourcePort_ReadsBigEndianAtOffset0() => Assert.Equal(0x1194, Parsed(Sample).SourcePort);

    [Fact]
    public void DestinationPort_ReadsBigEndianAtOffset2() => Assert.Equal(500, Parsed(Sample).DestinationPort);

    [Fact]
    public void DatagramLength_ReadsBigEndianAtOffset4() => Assert.Equal(11, Parsed(Sample).DatagramLength);

    [Fact]
    public void Checksum_ReadsBigEndianAtOffset6() => Assert.Equal(0xABCD, Parsed(Sample).Checksum);

    [Fact]
    public void HasChecksum_NonZero_IsTrue() => Assert.True(Parsed(Sample).HasChecksum);

    [Fact]
    public void HasChecksum_Zero_IsFalse() => Assert.False(Parsed(Hex("1194 01f4 0008 0000")).HasChecksum);

    [Fact]
    public void Payload_EndsAtTheLengthField() => Assert.Equal("abc"u8.ToArray(), Parsed(Sample).Payload.ToArray());

    [Fact]
    public void Payload_OfFirstFragment_EndsAtTheBuffer()
    {
        var bytes = Hex("1194 01f4 0100 abcd 616263");

        Assert.Equal("abc"u8.ToArray(), Parsed(bytes, isFragment: true).Payload.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Parse_LengthBelow8_ReturnsMalformed(int length)
    {
        var bytes = (byte[])Sample.Clone();
        bytes[5] = (byte)length;

        Assert.Equal(ParseStatus.Malformed, UdpHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_LengthBeyondBuffer_ReturnsTooShort()
    {
        var bytes = Hex("1194 01f4 0100 abcd 616263");

        Assert.Equal(ParseStatus.TooShort, UdpHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_LengthBeyondBufferInFirstFragment_ReturnsOk()
    {
        var bytes = Hex("1194 01f4 0100 abcd 616263");

        Assert.Equal(ParseStatus.Ok, UdpHeader.Parse(bytes, out _, isFragment: true));
    }

    [Fact]
    public void Parse_LengthBelow8InFirstFragment_ReturnsMalformed()
    {
        Assert.Equal(ParseStatus.Malformed, UdpHeader.Parse(Hex("1194 01f4 0007 abcd"), out _, isFragment: true));
    }

    [Fact]
    public void Parse_EveryTruncatedPrefix_ReturnsTooShort()
    {
        for (int length = 0; length < 11; length++)
            Assert.Equal(ParseStatus.TooShort, UdpHeader.Parse(Sample.AsSpan(0, length), out _));
    }
}
