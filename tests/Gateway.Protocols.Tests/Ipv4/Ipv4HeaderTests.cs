using VpnMasq.Protocols.Ipv4;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Ipv4;

public sealed class Ipv4HeaderTests
{
    // IHL 6 (one option word), TOS b8, total length 0x0020, id abcd, MF + offset 0x123 units,
    // TTL 3f, UDP, checksum 1234 (deliberately wrong), 192.168.0.1 -> 10.0.0.2, options NOP NOP NOP EOL,
    // 8 bytes of payload, then 2 bytes of link-layer padding.
    private static readonly byte[] Sample = Hex(
        "46 b8 0020 abcd 2123 3f 11 1234 c0a80001 0a000002 01010100 " +
        "0102030405060708 eeee");

    private static Ipv4Header Parsed(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Ok, Ipv4Header.Parse(bytes, out var header));
        return header;
    }

    [Fact]
    public void Parse_WellFormedHeader_ReturnsOk() => Assert.Equal(ParseStatus.Ok, Ipv4Header.Parse(Sample, out _));

    [Fact]
    public void HeaderLength_Ihl6_Is24() => Assert.Equal(24, Parsed(Sample).HeaderLength);

    [Fact]
    public void TypeOfService_ReadsByte1() => Assert.Equal(0xB8, Parsed(Sample).TypeOfService);

    [Fact]
    public void TotalLength_ReadsBigEndianAtOffset2() => Assert.Equal(0x0020, Parsed(Sample).TotalLength);

    [Fact]
    public void Identification_ReadsBigEndianAtOffset4() => Assert.Equal(0xABCD, Parsed(Sample).Identification);

    [Fact]
    public void MoreFragments_Bit0x2000Set_IsTrue() => Assert.True(Parsed(Sample).MoreFragments);

    [Fact]
    public void DontFragment_Bit0x4000Clear_IsFalse() => Assert.False(Parsed(Sample).DontFragment);

    [Fact]
    public void DontFragment_Bit0x4000Set_IsTrue()
    {
        var bytes = (byte[])Sample.Clone();
        bytes[6] = 0x40;
        bytes[7] = 0x00;

        Assert.True(Parsed(bytes).DontFragment);
    }

    [Fact]
    public void FragmentOffsetBytes_Low13Bits_CountEightByteUnits() => Assert.Equal(0x123 * 8, Parsed(Sample).FragmentOffsetBytes);

    [Fact]
    public void IsFragment_MoreFragmentsSet_IsTrue() => Assert.True(Parsed(Sample).IsFragment);

    [Fact]
    public void IsFragment_DontFragmentOnly_IsFalse()
    {
        var bytes = (byte[])Sample.Clone();
        bytes[6] = 0x40;
        bytes[7] = 0x00;

        Assert.False(Parsed(bytes).IsFragment);
    }

    [Fact]
    public void TimeToLive_ReadsByte8() => Assert.Equal(0x3F, Parsed(Sample).TimeToLive);

    [Fact]
    public void Protocol_ReadsByte9() => Assert.Equal(IpProtocol.Udp, Parsed(Sample).Protocol);

    [Fact]
    public void Checksum_ReadsBigEndianAtOffset10() => Assert.Equal(0x1234, Parsed(Sample).Checksum);

    [Fact]
    public void Source_ReadsBigEndianAtOffset12() => Assert.Equal(0xC0A8_0001u, Parsed(Sample).Source);

    [Fact]
    public void Destination_ReadsBigEndianAtOffset16() => Assert.Equal(0x0A00_0002u, Parsed(Sample).Destination);

    [Fact]
    public void Options_AreTheBytesBetween20AndHeaderLength() => Assert.Equal(Hex("01010100"), Parsed(Sample).Options.ToArray());

    [Fact]
    public void Payload_EndsAtTotalLengthNotAtLinkPadding() => Assert.Equal(Hex("0102030405060708"), Parsed(Sample).Payload.ToArray());

    [Fact]
    public void Packet_EndsAtTotalLength() => Assert.Equal(32, Parsed(Sample).Packet.Length);

    [Fact]
    public void ChecksumValid_WrongChecksum_IsFalse() => Assert.False(Parsed(Sample).ChecksumValid);

    [Fact]
    public void ChecksumValid_WikipediaHeaderWithB861_IsTrue()
    {
        var bytes = new byte[0x73];
        Hex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7").CopyTo(bytes, 0);

        Assert.True(Parsed(bytes).ChecksumValid);
    }

    [Fact]
    public void Parse_Empty_ReturnsTooShort() => Assert.Equal(ParseStatus.TooShort, Ipv4Header.Parse([], out _));

    [Fact]
    public void Parse_Version6_ReturnsUnsupported()
    {
        var bytes = Hex("6000 0000 0000 1140 " + new string('0', 64));

        Assert.Equal(ParseStatus.Unsupported, Ipv4Header.Parse(bytes, out _));
    }

    [Theory]
    [InlineData(0x05)]
    [InlineData(0x00)]
    [InlineData(0x0F)]
    public void Parse_VersionNeither4Nor6_ReturnsMalformed(int version)
    {
        var bytes = (byte[])Sample.Clone();
        bytes[0] = (byte)((version << 4) | 5);

        Assert.Equal(ParseStatus.Malformed, Ipv4Header.Parse(bytes, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Parse_IhlBelow5_ReturnsMalformed(int ihl)
    {
        var bytes = (byte[])Sample.Clone();
        bytes[0] = (byte)(0x40 | ihl);

        Assert.Equal(ParseStatus.Malformed, Ipv4Header.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_TotalLengthBelowHeaderLength_ReturnsMalformed()
    {
        var bytes = (byte[])Sample.Clone();
        bytes[3] = 23; // IHL says 24

        Assert.Equal(ParseStatus.Malformed, Ipv4Header.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_TotalLengthBeyondBuffer_ReturnsTooShort()
    {
        var bytes = (byte[])Sample.Clone();
        bytes[3] = (byte)(Sample.Length + 1);

        Assert.Equal(ParseStatus.TooShort, Ipv4Header.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_OptionsBeyondBuffer_ReturnsTooShort()
    {
        var bytes = Sample[..22];

        Assert.Equal(ParseStatus.TooShort, Ipv4Header.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_EveryTruncatedPrefix_ReturnsTooShort()
    {
        for (int length = 0; length < 32; length++)
            Assert.Equal(ParseStatus.TooShort, Ipv4Header.Parse(Sample.AsSpan(0, length), out _));
    }

    [Fact]
    public void TryReadDestination_TwentyBytes_ReadsBytes16To19()
    {
        Assert.True(Ipv4Header.TryReadDestination(Sample.AsSpan(0, 20), out uint destination));
        Assert.Equal(0x0A00_0002u, destination);
    }

    [Fact]
    public void TryReadDestination_ShorterThanAHeader_ReturnsFalse()
    {
        for (int length = 0; length < Ipv4Header.MinLength; length++)
            Assert.False(Ipv4Header.TryReadDestination(Sample.AsSpan(0, length), out _), $"{length} bytes");
    }

    [Theory]
    [InlineData("45", true)]
    [InlineData("4f", true)]
    [InlineData("60", false)]
    [InlineData("", false)]
    public void IsVersion4_ReadsTheHighNibble(string first, bool expected) => Assert.Equal(expected, Ipv4Header.IsVersion4(Hex(first)));
}
