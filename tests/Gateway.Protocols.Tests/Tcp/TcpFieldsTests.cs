using CsCheck;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Support;

namespace VpnMasq.Protocols.Tests.Tcp;

public sealed class TcpFieldsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void ParseOfWriteTo_RandomFields_GivesBackTheFields(int optionWords)
    {
        Generators.Tcp(Generators.OptionWords(optionWords)).Sample(fields =>
        {
            var bytes = new byte[fields.HeaderLength];
            fields.WriteTo(bytes);

            Assert.Equal(ParseStatus.Ok, TcpHeader.Parse(bytes, out var header));
            Assert.Equal(fields, TcpFields.From(header));
        });
    }

    [Fact]
    public void WriteTo_WithOptions_ReturnsHeaderLength()
    {
        Assert.Equal(28, new TcpFields(1, 2, Options: new byte[8]).WriteTo(new byte[28]));
    }

    [Fact]
    public void WriteTo_OptionsNotAMultipleOfFour_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new TcpFields(1, 2, Options: new byte[3]).WriteTo(new byte[24]));
    }

    [Fact]
    public void WriteTo_OptionsLongerThan40_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new TcpFields(1, 2, Options: new byte[44]).WriteTo(new byte[64]));
    }
}
