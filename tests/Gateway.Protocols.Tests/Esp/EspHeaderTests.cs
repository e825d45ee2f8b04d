using CsCheck;
using VpnMasq.Protocols.Esp;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Esp;

public sealed class EspHeaderTests
{
    // SPI 12345678, sequence 9abcdef0, then encrypted payload.
    private static readonly byte[] Sample = Hex("12345678 9abcdef0 deadbeef");

    private static EspHeader Parsed(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Ok, EspHeader.Parse(bytes, out var header));
        return header;
    }

    [Fact]
    public void Spi_ReadsBigEndianAtOffset0() => Assert.Equal(0x1234_5678u, Parsed(Sample).Spi);

    [Fact]
    public void SequenceNumber_ReadsBigEndianAtOffset4() => Assert.Equal(0x9ABC_DEF0u, Parsed(Sample).SequenceNumber);

    [Fact]
    public void Payload_FollowsTheEightByteHeader() => Assert.Equal(Hex("deadbeef"), Parsed(Sample).Payload.ToArray());

    [Fact]
    public void Parse_EveryPrefixShorterThan8_ReturnsTooShort()
    {
        for (int length = 0; length < 8; length++)
            Assert.Equal(ParseStatus.TooShort, EspHeader.Parse(Sample.AsSpan(0, length), out _));
    }

    [Fact]
    public void ParseOfWriteTo_RandomFields_GivesBackTheFields()
    {
        Gen.Select(Gen.UInt, Gen.UInt, (spi, sequence) => new EspFields(spi, sequence)).Sample(fields =>
        {
            var bytes = new byte[EspHeader.Length];
            fields.WriteTo(bytes);

            Assert.Equal(ParseStatus.Ok, EspHeader.Parse(bytes, out var header));
            Assert.Equal(fields, EspFields.From(header));
        });
    }
}
