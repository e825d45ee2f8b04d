using CsCheck;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Tests.Support;

namespace VpnMasq.Protocols.Tests.Ipv4;

public sealed class Ipv4FieldsTests
{
    private static Gen<Ipv4Fields> Fields(int optionWords) =>
        Gen.Select(Gen.UInt, Gen.UInt, Gen.Byte, Gen.UShort, Gen.Bool, Gen.Bool, Gen.Int[0, 0x1FFF], Gen.Byte, Gen.Byte,
                Generators.OptionWords(optionWords), Gen.Int[0, 40],
                (source, destination, protocol, id, df, mf, offset, ttl, tos, options, payload) => new Ipv4Fields(
                    source, destination, protocol, (ushort)(20 + (4 * optionWords) + payload), id, df, mf, offset * 8, ttl, tos, options));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void ParseOfWriteTo_RandomFields_GivesBackTheFields(int optionWords)
    {
        Fields(optionWords).Sample(fields =>
        {
            var bytes = new byte[fields.TotalLength];
            fields.WriteTo(bytes);

            Assert.Equal(ParseStatus.Ok, Ipv4Header.Parse(bytes, out var header));
            Assert.Equal(fields, Ipv4Fields.From(header));
        });
    }

    [Fact]
    public void WriteTo_RandomFields_WritesAValidHeaderChecksum()
    {
        Fields(2).Sample(fields =>
        {
            var bytes = new byte[fields.TotalLength];
            fields.WriteTo(bytes);

            Assert.Equal(ParseStatus.Ok, Ipv4Header.Parse(bytes, out var header));
            Assert.True(header.ChecksumValid);
        });
    }

    [Fact]
    public void WriteTo_WithOptions_ReturnsHeaderLength()
    {
        var fields = new Ipv4Fields(1, 2, IpProtocol.Udp, 28, Options: [1, 1, 1, 0]);

        Assert.Equal(24, fields.WriteTo(new byte[28]));
    }

    [Fact]
    public void WriteTo_OptionsNotAMultipleOfFour_Throws()
    {
        var fields = new Ipv4Fields(1, 2, IpProtocol.Udp, 23, Options: [1, 1, 0]);

        Assert.Throws<InvalidOperationException>(() => fields.WriteTo(new byte[24]));
    }

    [Fact]
    public void WriteTo_OptionsLongerThan40_Throws()
    {
        var fields = new Ipv4Fields(1, 2, IpProtocol.Udp, 64, Options: new byte[44]);

        Assert.Throws<InvalidOperationException>(() => fields.WriteTo(new byte[64]));
    }

    [Fact]
    public void Equals_EmptyOptionsAndNoOptions_AreEqual()
    {
        Assert.Equal(new Ipv4Fields(1, 2, 6, 20, Options: []), new Ipv4Fields(1, 2, 6, 20));
    }
}
