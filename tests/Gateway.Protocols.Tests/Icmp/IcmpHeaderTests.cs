using VpnMasq.Protocols.Icmp;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Icmp;

public sealed class IcmpHeaderTests
{
    // Echo request: type 8, code 0, checksum f00d, id 1234, seq 0a0b, data "abc".
    private static readonly byte[] Echo = Hex("08 00 f00d 1234 0a0b 616263");

    // Port unreachable quoting a 20-byte IPv4 header and the first 8 bytes of its UDP datagram.
    private static readonly byte[] Unreachable = Hex(
        "03 03 0000 00000000 " +
        "4500 0024 0001 0000 4011 0000 0a000002 c7000001 " +
        "c350 01f4 0010 0000");

    private static IcmpHeader Parsed(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Ok, IcmpHeader.Parse(bytes, out var header));
        return header;
    }

    [Fact]
    public void Type_ReadsByte0() => Assert.Equal(IcmpType.EchoRequest, Parsed(Echo).Type);

    [Fact]
    public void Code_ReadsByte1() => Assert.Equal(3, Parsed(Unreachable).Code);

    [Fact]
    public void Checksum_ReadsBigEndianAtOffset2() => Assert.Equal(0xF00D, Parsed(Echo).Checksum);

    [Fact]
    public void Identifier_ReadsBigEndianAtOffset4() => Assert.Equal(0x1234, Parsed(Echo).Identifier);

    [Fact]
    public void SequenceNumber_ReadsBigEndianAtOffset6() => Assert.Equal(0x0A0B, Parsed(Echo).SequenceNumber);

    [Fact]
    public void Body_FollowsTheEightByteHeader() => Assert.Equal("abc"u8.ToArray(), Parsed(Echo).Body.ToArray());

    [Fact]
    public void IsQuery_EchoRequest_IsTrue() => Assert.True(Parsed(Echo).IsQuery);

    [Fact]
    public void IsError_EchoRequest_IsFalse() => Assert.False(Parsed(Echo).IsError);

    [Fact]
    public void IsError_DestinationUnreachable_IsTrue() => Assert.True(Parsed(Unreachable).IsError);

    [Fact]
    public void OffendingDatagram_OfError_IsEverythingAfterTheHeader() =>
        Assert.Equal(Unreachable[8..], Parsed(Unreachable).OffendingDatagram.ToArray());

    [Fact]
    public void OffendingDatagram_OfQuery_IsEmpty() => Assert.True(Parsed(Echo).OffendingDatagram.IsEmpty);

    [Theory]
    [InlineData(IcmpType.EchoRequest, true)]
    [InlineData(IcmpType.TimestampRequest, true)]
    [InlineData(IcmpType.InformationRequest, true)]
    [InlineData(IcmpType.AddressMaskRequest, true)]
    [InlineData(IcmpType.EchoReply, false)]
    [InlineData(IcmpType.AddressMaskReply, false)]
    public void IsQueryRequest_QueryType_IsTrueOnlyForRequests(IcmpType type, bool isRequest)
    {
        Assert.Equal(isRequest, IcmpTypes.IsQueryRequest(type));
    }

    [Fact]
    public void Parse_ShorterThan8_ReturnsTooShort() => Assert.Equal(ParseStatus.TooShort, IcmpHeader.Parse(Echo.AsSpan(0, 7), out _));

    [Fact]
    public void Parse_QueryOfExactly8Bytes_ReturnsOk() => Assert.Equal(ParseStatus.Ok, IcmpHeader.Parse(Echo.AsSpan(0, 8), out _));

    [Fact]
    public void Parse_ErrorWithNothingQuoted_ReturnsTooShort() =>
        Assert.Equal(ParseStatus.TooShort, IcmpHeader.Parse(Unreachable.AsSpan(0, 8), out _));

    [Fact]
    public void Parse_ErrorQuotingHeaderWithout8PayloadBytes_ReturnsTooShort() =>
        Assert.Equal(ParseStatus.TooShort, IcmpHeader.Parse(Unreachable.AsSpan(0, 8 + 20 + 7), out _));

    [Fact]
    public void Parse_ErrorQuotingIhlBelow5_ReturnsMalformed()
    {
        var bytes = (byte[])Unreachable.Clone();
        bytes[8] = 0x44;

        Assert.Equal(ParseStatus.Malformed, IcmpHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_ErrorQuotingNonIpv4_ReturnsMalformed()
    {
        var bytes = (byte[])Unreachable.Clone();
        bytes[8] = 0x65;

        Assert.Equal(ParseStatus.Malformed, IcmpHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_ErrorQuotingOptionsWithoutRoomFor8PayloadBytes_ReturnsTooShort()
    {
        var bytes = (byte[])Unreachable.Clone();
        bytes[8] = 0x46; // the quoted header claims 24 bytes, leaving only 4 of its payload

        Assert.Equal(ParseStatus.TooShort, IcmpHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_EveryTruncatedPrefixOfAnError_ReturnsTooShort()
    {
        for (int length = 0; length < Unreachable.Length; length++)
            Assert.Equal(ParseStatus.TooShort, IcmpHeader.Parse(Unreachable.AsSpan(0, length), out _));
    }
}
