using CsCheck;
using VpnMasq.Protocols.Icmp;

namespace VpnMasq.Protocols.Tests.Icmp;

public sealed class IcmpFieldsTests
{
    private static readonly IcmpType[] AllTypes = Enum.GetValues<IcmpType>();

    [Fact]
    public void ParseOfWriteTo_RandomFieldsOfEveryType_GivesBackTheFields()
    {
        Gen.Select(Gen.Int[0, AllTypes.Length - 1], Gen.Byte, Gen.UShort, Gen.UShort, Gen.UShort)
            .Select(t => new IcmpFields(AllTypes[t.Item1], t.Item2, t.Item3, t.Item4, t.Item5))
            .Sample(fields =>
            {
                // Room for an error's quoted header: a minimal IPv4 header and 8 bytes.
                var bytes = new byte[8 + 20 + 8];
                fields.WriteTo(bytes);
                bytes[8] = 0x45;

                Assert.Equal(ParseStatus.Ok, IcmpHeader.Parse(bytes, out var header));
                Assert.Equal(fields, IcmpFields.From(header));
            }, iter: 300);
    }

    [Fact]
    public void WriteTo_AnyFields_Returns8() => Assert.Equal(8, new IcmpFields(IcmpType.EchoReply, 0, 1, 2).WriteTo(new byte[8]));
}
