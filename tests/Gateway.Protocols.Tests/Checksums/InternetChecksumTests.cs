using VpnMasq.Protocols.Checksums;
using static VpnMasq.Protocols.Tests.Support.Datagrams;

namespace VpnMasq.Protocols.Tests.Checksums;

public sealed class InternetChecksumTests
{
    [Fact]
    public void Compute_Rfc1071Example_ReturnsComplementOfDdf2()
    {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 have the one's-complement sum ddf2.
        Assert.Equal((ushort)0x220D, InternetChecksum.Compute(Hex("0001 f203 f4f5 f6f7")));
    }

    [Fact]
    public void Compute_OddLength_PadsLastByteWithZeroOnTheRight()
    {
        // 0x1234 + 0x5600 = 0x6834, complemented 0x97CB.
        Assert.Equal((ushort)0x97CB, InternetChecksum.Compute(Hex("1234 56")));
    }

    [Fact]
    public void Compute_CarriesOutOfSixteenBits_FoldsThemBackIn()
    {
        // 0xFFFF + 0x0002 = 0x10001, folded to 0x0002, complemented 0xFFFD.
        Assert.Equal((ushort)0xFFFD, InternetChecksum.Compute(Hex("ffff 0002")));
    }

    [Fact]
    public void Compute_AllZeroData_ReturnsFfff()
    {
        Assert.Equal((ushort)0xFFFF, InternetChecksum.Compute(new byte[12]));
    }

    [Fact]
    public void Compute_DataFollowedByItsChecksum_ReturnsZero()
    {
        var data = Hex("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7");
        ushort checksum = InternetChecksum.Compute(data);
        data[10] = (byte)(checksum >> 8);
        data[11] = (byte)checksum;

        Assert.Equal((ushort)0, InternetChecksum.Compute(data));
    }

    [Fact]
    public void Compute_WikipediaIpv4Header_ReturnsB861()
    {
        Assert.Equal((ushort)0xB861, InternetChecksum.Compute(Hex("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7")));
    }

    [Fact]
    public void Add_WordAndDoubleWordOverloads_MatchTheSpanOverload()
    {
        uint viaWords = InternetChecksum.Add(InternetChecksum.Add(0, 0xC0A8_0001u), (ushort)0xF00D);

        Assert.Equal(InternetChecksum.Add(0, Hex("c0a8 0001 f00d")), viaWords);
    }

    [Fact]
    public void PseudoHeaderSum_Ipv4Addresses_EqualsSumOfRfc793PseudoHeader()
    {
        // source, destination, zero, protocol, TCP length
        var pseudo = Hex("c0a8 0001 0a00 0002 00 06 0014");

        Assert.Equal(
            InternetChecksum.Compute(pseudo),
            InternetChecksum.Finish(InternetChecksum.PseudoHeaderSum(0xC0A8_0001, 0x0A00_0002, 6, 20)));
    }

    [Fact]
    public void Compute_Rfc1624Section4Example_OriginalChecksumIsDd2f()
    {
        // RFC 1624 §4: the other header words sum to 0xCD7A and the field m is 0x5555.
        Assert.Equal((ushort)0xDD2F, InternetChecksum.Compute(Hex("cd7a 5555")));
    }

    [Fact]
    public void Update_Rfc1624Section4Example_ReturnsZeroAsRecomputationDoes()
    {
        // m = 0x5555 becomes m' = 0x3285: recomputation gives ~(0xCD7A + 0x3285) = ~0xFFFF = 0x0000.
        // RFC 1141's eqn. 2 gives 0xFFFF here; RFC 1624's eqn. 3 gives 0x0000.
        ushort updated = InternetChecksum.Update(0xDD2F, (ushort)0x5555, (ushort)0x3285);

        Assert.Equal((ushort)0x0000, updated);
        Assert.Equal(InternetChecksum.Compute(Hex("cd7a 3285")), updated);
    }

    [Fact]
    public void Update_UnchangedWordWithChecksumZero_KeepsZero()
    {
        // RFC 1624 erratum 4782 claims ~(0xFFFF + 0xAAAA + 0x5555) = 0xFFFF; with the end-around
        // carry the sum is 0xFFFF and the result stays 0x0000.
        Assert.Equal((ushort)0x0000, InternetChecksum.Update(0x0000, (ushort)0x5555, (ushort)0x5555));
    }

    [Fact]
    public void Update_RewriteThatLeavesAllZeroData_ReturnsZeroWhereRecomputationGivesFfff()
    {
        // The one place eqn. 3 and recomputation differ: eqn. 3 never yields 0xFFFF (RFC 1624 §3),
        // but the checksum of all-zero data is ~(+0) = 0xFFFF. Both are one's-complement zero.
        ushort before = InternetChecksum.Compute(Hex("ffff"));

        Assert.Equal((ushort)0x0000, InternetChecksum.Update(before, (ushort)0xFFFF, (ushort)0x0000));
        Assert.Equal((ushort)0xFFFF, InternetChecksum.Compute(Hex("0000")));
    }

    [Fact]
    public void Update32_RewriteThatLeavesAllZeroData_ReturnsZeroWhereRecomputationGivesFfff()
    {
        ushort before = InternetChecksum.Compute(Hex("ffff ffff"));

        Assert.Equal((ushort)0x0000, InternetChecksum.Update(before, 0xFFFF_FFFFu, 0u));
        Assert.Equal((ushort)0xFFFF, InternetChecksum.Compute(Hex("0000 0000")));
    }

    [Fact]
    public void Update32_AddressChange_EqualsRecomputation()
    {
        var before = Hex("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7");
        var after = Hex("4500 0073 0000 4000 4011 0000 0a00 0002 c0a8 00c7");

        Assert.Equal(
            InternetChecksum.Compute(after),
            InternetChecksum.Update(InternetChecksum.Compute(before), 0xC0A8_0001u, 0x0A00_0002u));
    }
}
