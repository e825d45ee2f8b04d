using CsCheck;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Protocols.Tests.Udp;

public sealed class UdpFieldsTests
{
    [Fact]
    public void ParseOfWriteTo_RandomFields_GivesBackTheFields()
    {
        Gen.Select(Gen.UShort, Gen.UShort, Gen.Int[8, 100], Gen.UShort)
            .Select(t => new UdpFields(t.Item1, t.Item2, (ushort)t.Item3, t.Item4))
            .Sample(fields =>
            {
                var bytes = new byte[fields.DatagramLength];
                fields.WriteTo(bytes);

                Assert.Equal(ParseStatus.Ok, UdpHeader.Parse(bytes, out var header));
                Assert.Equal(fields, UdpFields.From(header));
            });
    }

    [Fact]
    public void WriteTo_AnyFields_Returns8() => Assert.Equal(8, new UdpFields(1, 2, 8).WriteTo(new byte[8]));
}
