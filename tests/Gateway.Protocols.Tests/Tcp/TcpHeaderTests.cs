using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Tcp;

public sealed class TcpHeaderTests
{
    // ports c350 -> 06bb, seq 01020304, ack a0b0c0d0, data offset 6, SYN|ACK, window faf0,
    // checksum beef, urgent 0102, option MSS 1460, then 3 bytes of data.
    private static readonly byte[] Sample = Hex("c350 06bb 01020304 a0b0c0d0 60 12 faf0 beef 0102 020405b4 616263");

    private static TcpHeader Parsed(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Ok, TcpHeader.Parse(bytes, out var header));
        return header;
    }

    [Fact]
    public void SourcePort_ReadsBigEndianAtOffset0() => Assert.Equal(0xC350, Parsed(Sample).SourcePort);

    [Fact]
    public void DestinationPort_ReadsBigEndianAtOffset2() => Assert.Equal(0x06BB, Parsed(Sample).DestinationPort);

    [Fact]
    public void SequenceNumber_ReadsBigEndianAtOffset4() => Assert.Equal(0x0102_0304u, Parsed(Sample).SequenceNumber);

    [Fact]
    public void AcknowledgmentNumber_ReadsBigEndianAtOffset8() => Assert.Equal(0xA0B0_C0D0u, Parsed(Sample).AcknowledgmentNumber);

    [Fact]
    public void HeaderLength_DataOffset6_Is24() => Assert.Equal(24, Parsed(Sample).HeaderLength);

    [Fact]
    public void Flags_ReadsByte13() => Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, Parsed(Sample).Flags);

    [Fact]
    public void Has_FlagPresent_IsTrue() => Assert.True(Parsed(Sample).Has(TcpFlags.Syn));

    [Fact]
    public void Has_FlagAbsent_IsFalse() => Assert.False(Parsed(Sample).Has(TcpFlags.Fin));

    [Fact]
    public void Window_ReadsBigEndianAtOffset14() => Assert.Equal(0xFAF0, Parsed(Sample).Window);

    [Fact]
    public void Checksum_ReadsBigEndianAtOffset16() => Assert.Equal(0xBEEF, Parsed(Sample).Checksum);

    [Fact]
    public void UrgentPointer_ReadsBigEndianAtOffset18() => Assert.Equal(0x0102, Parsed(Sample).UrgentPointer);

    [Fact]
    public void Options_AreTheBytesBetween20AndHeaderLength() => Assert.Equal(Hex("020405b4"), Parsed(Sample).Options.ToArray());

    [Fact]
    public void Payload_FollowsTheOptions() => Assert.Equal("abc"u8.ToArray(), Parsed(Sample).Payload.ToArray());

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Parse_DataOffsetBelow5_ReturnsMalformed(int dataOffset)
    {
        var bytes = (byte[])Sample.Clone();
        bytes[12] = (byte)(dataOffset << 4);

        Assert.Equal(ParseStatus.Malformed, TcpHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_DataOffsetBeyondBuffer_ReturnsTooShort()
    {
        var bytes = (byte[])Sample.Clone();
        bytes[12] = 0xF0; // 60-byte header in 27 bytes

        Assert.Equal(ParseStatus.TooShort, TcpHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_EveryTruncatedPrefixOfTheHeader_ReturnsTooShort()
    {
        for (int length = 0; length < 24; length++)
            Assert.Equal(ParseStatus.TooShort, TcpHeader.Parse(Sample.AsSpan(0, length), out _));
    }
}
