using CsCheck;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Tests.Support;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Link;

public sealed class LinuxCookedHeaderTests
{
    // Sent by us (4), ARPHRD_ETHER (1), 6-byte address padded to 8, protocol IPv4.
    private static readonly byte[] Sample = Hex("0004 0001 0006 020000000001 0000 0800 45");

    private static LinuxCookedHeader Parsed(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Ok, LinuxCookedHeader.Parse(bytes, out var header));
        return header;
    }

    [Fact]
    public void PacketType_ReadsBigEndianAtOffset0() => Assert.Equal(4, Parsed(Sample).PacketType);

    [Fact]
    public void HardwareType_ReadsBigEndianAtOffset2() => Assert.Equal(1, Parsed(Sample).HardwareType);

    [Fact]
    public void AddressLength_ReadsBigEndianAtOffset4() => Assert.Equal(6, Parsed(Sample).AddressLength);

    [Fact]
    public void Address_IsAddressLengthBytesFromOffset6() => Assert.Equal(Hex("020000000001"), Parsed(Sample).Address.ToArray());

    [Fact]
    public void Protocol_ReadsBigEndianAtOffset14() => Assert.Equal(EtherType.Ipv4, Parsed(Sample).Protocol);

    [Fact]
    public void Parse_AddressLongerThan8_ReturnsMalformed()
    {
        var bytes = (byte[])Sample.Clone();
        bytes[5] = 9;

        Assert.Equal(ParseStatus.Malformed, LinuxCookedHeader.Parse(bytes, out _));
    }

    [Fact]
    public void ParseOfWriteTo_RandomFieldsAndAddressOf0To8Bytes_GivesBackTheFields()
    {
        Gen.Int[0, 8]
            .SelectMany(addressLength => Gen.Select(Gen.UShort, Gen.UShort, Gen.Byte.Array[addressLength], Gen.UShort))
            .Select(t => new LinuxCookedFields(t.Item1, t.Item2, (ushort)t.Item3.Length, Convert.ToHexString(t.Item3), t.Item4))
            .Sample(fields =>
            {
                var bytes = new byte[LinuxCookedHeader.Length];
                fields.WriteTo(bytes);

                Assert.Equal(ParseStatus.Ok, LinuxCookedHeader.Parse(bytes, out var header));
                Assert.Equal(fields, LinuxCookedFields.From(header));
            });
    }

    [Fact]
    public void Parse_EveryTruncatedPrefix_ReturnsTooShort()
    {
        for (int length = 0; length < 16; length++)
            Assert.Equal(ParseStatus.TooShort, LinuxCookedHeader.Parse(Sample.AsSpan(0, length), out _));
    }
}
