using CsCheck;
using VpnMasq.Protocols.Gre;

namespace VpnMasq.Protocols.Tests.Gre;

public sealed class GreFieldsTests
{
    public static TheoryData<bool, bool, bool> Version0Options()
    {
        var data = new TheoryData<bool, bool, bool>();
        foreach (bool checksum in new[] { false, true })
            foreach (bool key in new[] { false, true })
                foreach (bool sequence in new[] { false, true })
                    data.Add(checksum, key, sequence);
        return data;
    }

    [Theory]
    [MemberData(nameof(Version0Options))]
    public void ParseOfWriteTo_Version0WithOptionalFields_GivesBackTheFields(bool checksum, bool key, bool sequence)
    {
        Gen.Select(Gen.UShort, Gen.UShort, Gen.UInt, Gen.UInt)
            .Select(t => new GreFields(0, t.Item1, key ? t.Item3 : null, sequence ? t.Item4 : null, null, checksum ? t.Item2 : null))
            .Sample(fields =>
            {
                var bytes = new byte[fields.Length];
                fields.WriteTo(bytes);

                Assert.Equal(ParseStatus.Ok, GreHeader.Parse(bytes, out var header));
                Assert.Equal(fields, GreFields.From(header));
            });
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void ParseOfWriteTo_Version1WithOptionalFields_GivesBackTheFields(bool sequence, bool ack)
    {
        Gen.Select(Gen.UShort, Gen.Int[0, 64], Gen.UInt, Gen.UInt)
            .Select(t => GreFields.Enhanced(t.Item1, (ushort)t.Item2, sequence ? t.Item3 : null, ack ? t.Item4 : null))
            .Sample(fields =>
            {
                // Version 1 insists that the declared PPP payload is present.
                var bytes = new byte[fields.Length + (int)(fields.Key!.Value >> 16)];
                fields.WriteTo(bytes);

                Assert.Equal(ParseStatus.Ok, GreHeader.Parse(bytes, out var header));
                Assert.Equal(fields, GreFields.From(header));
            });
    }

    [Fact]
    public void Enhanced_CallIdAndPayloadLength_PacksThemIntoTheKey()
    {
        Assert.Equal(0x0010_4A2Bu, GreFields.Enhanced(0x4A2B, 0x10).Key);
    }

    [Fact]
    public void WriteTo_Version0WithChecksum_WritesZeroReservedOffset()
    {
        var bytes = new byte[8];
        Array.Fill(bytes, (byte)0xEE);
        new GreFields(0, 0x0800, Checksum: 0xBEEF).WriteTo(bytes);

        Assert.Equal(new byte[] { 0x80, 0x00, 0x08, 0x00, 0xBE, 0xEF, 0x00, 0x00 }, bytes);
    }

    [Fact]
    public void WriteTo_AllOptions_ReturnsLength()
    {
        var fields = new GreFields(0, 0x0800, 1, 2, null, 3);

        Assert.Equal(16, fields.WriteTo(new byte[16]));
    }
}
