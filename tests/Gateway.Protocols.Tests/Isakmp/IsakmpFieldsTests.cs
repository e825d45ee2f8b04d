using CsCheck;
using VpnMasq.Protocols.Isakmp;

namespace VpnMasq.Protocols.Tests.Isakmp;

public sealed class IsakmpFieldsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ParseOfWriteTo_RandomFields_GivesBackTheFields(byte majorVersion)
    {
        Gen.Select(Gen.ULong, Gen.ULong, Gen.Byte, Gen.Int[0, 15], Gen.Byte, Gen.Byte, Gen.UInt, Gen.Int[28, 90])
            .Select(t => new IsakmpFields(t.Item1, t.Item2, t.Item3, majorVersion, (byte)t.Item4, t.Item5, t.Item6, t.Item7, (uint)t.Item8))
            .Sample(fields =>
            {
                var bytes = new byte[fields.MessageLength];
                fields.WriteTo(bytes);

                Assert.Equal(ParseStatus.Ok, IsakmpHeader.Parse(bytes, out var header));
                Assert.Equal(fields, IsakmpFields.From(header));
            });
    }

    [Fact]
    public void WriteTo_AnyFields_Returns28() => Assert.Equal(28, new IsakmpFields(1, 0, 1, 1, 0, 2, 0, 0, 28).WriteTo(new byte[28]));
}
