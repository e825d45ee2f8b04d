using CsCheck;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Protocols.Tests.Link;

public sealed class EthernetFieldsTests
{
    private const ulong MacMask = 0xFFFF_FFFF_FFFF;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ParseOfWriteTo_RandomFields_GivesBackTheFields(bool tagged)
    {
        Gen.Select(Gen.ULong, Gen.ULong, Gen.UShort[0x0600, 0xFFFF].Where(t => t != EtherType.Vlan), Gen.UShort[0, 0x0FFF])
            .Select(t => new EthernetFields(t.Item1 & MacMask, t.Item2 & MacMask, t.Item3, tagged ? t.Item4 : null))
            .Sample(fields =>
            {
                var bytes = new byte[fields.Length];
                fields.WriteTo(bytes);

                Assert.Equal(ParseStatus.Ok, EthernetHeader.Parse(bytes, out var header));
                Assert.Equal(fields, EthernetFields.From(header));
            });
    }

    [Fact]
    public void WriteTo_Tagged_WritesTpid8100AtOffset12()
    {
        var bytes = new byte[18];
        new EthernetFields(1, 2, EtherType.Ipv4, 123).WriteTo(bytes);

        Assert.Equal(new byte[] { 0x81, 0x00, 0x00, 0x7B, 0x08, 0x00 }, bytes[12..]);
    }

    [Fact]
    public void ReadMac_SixBytes_FillsLow48BitsBigEndian()
    {
        Assert.Equal(0x0011_2233_4455ul, EthernetFields.ReadMac([0x00, 0x11, 0x22, 0x33, 0x44, 0x55]));
    }

    [Fact]
    public void WriteMac_Low48Bits_WritesSixBytesBigEndian()
    {
        var bytes = new byte[6];
        EthernetFields.WriteMac(bytes, 0x0011_2233_4455);

        Assert.Equal(new byte[] { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 }, bytes);
    }

    [Fact]
    public void Readdress_Frame_ReplacesBothAddressesAndKeepsTheRest()
    {
        var frame = new byte[20];
        new EthernetFields(1, 2, EtherType.Ipv4).WriteTo(frame);
        frame[14] = 0x45;

        EthernetFields.Readdress(frame, [0, 0x11, 0x22, 0x33, 0x44, 0x55], [0, 0x66, 0x77, 0x88, 0x99, 0xAA]);

        Assert.Equal(ParseStatus.Ok, EthernetHeader.Parse(frame, out var header));
        Assert.Equal(new EthernetFields(0x0011_2233_4455, 0x0066_7788_99AA, EtherType.Ipv4), EthernetFields.From(header));
        Assert.Equal(0x45, frame[14]);
    }
}
