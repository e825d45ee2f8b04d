using VpnMasq.Protocols.Link;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Link;

public sealed class EthernetHeaderTests
{
    private static readonly byte[] Untagged = Hex("020000000001 020000000002 0800 45");

    // 802.1Q tag: TPID 8100, TCI e07b (priority 7, DEI 0, VLAN 123), then the inner type.
    private static readonly byte[] Tagged = Hex("020000000001 020000000002 8100 e07b 0800 45");

    private static EthernetHeader Parsed(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Ok, EthernetHeader.Parse(bytes, out var header));
        return header;
    }

    [Fact]
    public void Destination_IsBytes0To5() => Assert.Equal(Hex("020000000001"), Parsed(Untagged).Destination.ToArray());

    [Fact]
    public void Source_IsBytes6To11() => Assert.Equal(Hex("020000000002"), Parsed(Untagged).Source.ToArray());

    [Fact]
    public void EtherType_Untagged_ReadsBigEndianAtOffset12() => Assert.Equal(EtherType.Ipv4, Parsed(Untagged).EtherType);

    [Fact]
    public void Length_Untagged_Is14() => Assert.Equal(14, Parsed(Untagged).Length);

    [Fact]
    public void HasVlanTag_Untagged_IsFalse() => Assert.False(Parsed(Untagged).HasVlanTag);

    [Fact]
    public void VlanId_Untagged_IsZero() => Assert.Equal(0, Parsed(Untagged).VlanId);

    [Fact]
    public void Length_Tagged_Is18() => Assert.Equal(18, Parsed(Tagged).Length);

    [Fact]
    public void VlanId_Tagged_IsLow12BitsOfTheTci() => Assert.Equal(123, Parsed(Tagged).VlanId);

    [Fact]
    public void EtherType_Tagged_IsTheInnerType() => Assert.Equal(EtherType.Ipv4, Parsed(Tagged).EtherType);

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x05DC)] // 1500: an IEEE 802.3 length
    [InlineData(0x05FF)]
    public void Parse_Ieee8023LengthField_ReturnsUnsupported(int lengthType)
    {
        var bytes = (byte[])Untagged.Clone();
        bytes[12] = (byte)(lengthType >> 8);
        bytes[13] = (byte)lengthType;

        Assert.Equal(ParseStatus.Unsupported, EthernetHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_TaggedIeee8023Frame_ReturnsUnsupported()
    {
        var bytes = (byte[])Tagged.Clone();
        bytes[16] = 0x00;
        bytes[17] = 0x40;

        Assert.Equal(ParseStatus.Unsupported, EthernetHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_Type0x0600_ReturnsOk()
    {
        var bytes = (byte[])Untagged.Clone();
        bytes[12] = 0x06;
        bytes[13] = 0x00;

        Assert.Equal(ParseStatus.Ok, EthernetHeader.Parse(bytes, out _));
    }

    [Fact]
    public void Parse_EveryTruncatedPrefixOfUntagged_ReturnsTooShort()
    {
        for (int length = 0; length < 14; length++)
            Assert.Equal(ParseStatus.TooShort, EthernetHeader.Parse(Untagged.AsSpan(0, length), out _));
    }

    [Fact]
    public void Parse_EveryTruncatedPrefixOfTagged_ReturnsTooShort()
    {
        for (int length = 0; length < 18; length++)
            Assert.Equal(ParseStatus.TooShort, EthernetHeader.Parse(Tagged.AsSpan(0, length), out _));
    }
}
