using VpnMasq.Protocols.Link;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Link;

public sealed class ArpPacketTests
{
    // A reply: 10.0.0.1 is at 02:00:00:00:00:01, told to 10.0.0.2 at 02:00:00:00:00:02.
    private static readonly byte[] Reply = Hex("0001 0800 06 04 0002 020000000001 0a000001 020000000002 0a000002");

    private static ArpPacket Parsed(byte[] bytes)
    {
        Assert.True(ArpPacket.TryParse(bytes, out var packet));
        return packet;
    }

    [Fact]
    public void HardwareType_IsBytes0To1() => Assert.Equal(ArpPacket.HardwareTypeEthernet, Parsed(Reply).HardwareType);

    [Fact]
    public void Operation_IsBytes6To7() => Assert.Equal(ArpPacket.OperationReply, Parsed(Reply).Operation);

    [Fact]
    public void SenderMac_IsBytes8To13() => Assert.Equal(Hex("020000000001"), Parsed(Reply).SenderMac.ToArray());

    [Fact]
    public void SenderAddress_IsBytes14To17() => Assert.Equal(0x0A00_0001u, Parsed(Reply).SenderAddress);

    [Fact]
    public void TargetMac_IsBytes18To23() => Assert.Equal(Hex("020000000002"), Parsed(Reply).TargetMac.ToArray());

    [Fact]
    public void TargetAddress_IsBytes24To27() => Assert.Equal(0x0A00_0002u, Parsed(Reply).TargetAddress);

    [Fact]
    public void TryParse_EthernetPadding_IsIgnored()
    {
        var padded = Reply.Concat(new byte[18]).ToArray();

        Assert.Equal(0x0A00_0002u, Parsed(padded).TargetAddress);
    }

    [Fact]
    public void TryParse_EveryPrefixShorterThan28_ReturnsFalse()
    {
        for (int length = 0; length < ArpPacket.Length; length++)
            Assert.False(ArpPacket.TryParse(Reply.AsSpan(0, length), out _), $"{length} bytes");
    }

    [Fact]
    public void TryParse_ProtocolTypeNotIpv4_ReturnsFalse()
    {
        var bytes = (byte[])Reply.Clone();
        bytes[2] = 0x86;
        bytes[3] = 0xDD;

        Assert.False(ArpPacket.TryParse(bytes, out _));
    }

    [Theory]
    [InlineData(4, 8)] // hardware address length other than 6
    [InlineData(5, 16)] // protocol address length other than 4
    public void TryParse_AddressLengthOtherThanEthernetIpv4_ReturnsFalse(int offset, byte value)
    {
        var bytes = (byte[])Reply.Clone();
        bytes[offset] = value;

        Assert.False(ArpPacket.TryParse(bytes, out _));
    }
}
