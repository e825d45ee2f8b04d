using System.Buffers.Binary;
using CsCheck;
using VpnMasq.Protocols.Checksums;

namespace VpnMasq.Protocols.Tests.Checksums;

/// <summary>
/// RFC 1624 eqn. 3 against recomputation from scratch. The two agree bit for bit unless the new
/// data is all zero: then eqn. 3 gives 0x0000 (it can never give 0xFFFF) and recomputation 0xFFFF,
/// two spellings of one's-complement zero (see the hand-built corner tests).
/// </summary>
public sealed class InternetChecksumPropertyTests
{
    // Mostly random data, but often all zero with a zero replacement, so the corner is exercised.
    private static readonly Gen<byte[]> Data = Gen.Int[0, 3].SelectMany(kind => kind == 0
        ? Gen.Int[1, 32].Select(words => new byte[words * 2])
        : Gen.Byte.Array[2, 80]);

    private static readonly Gen<ushort> Word = Gen.Int[0, 3].SelectMany(kind => kind == 0 ? Gen.Const((ushort)0) : Gen.UShort);

    private static readonly Gen<uint> DoubleWord = Gen.Int[0, 3].SelectMany(kind => kind == 0 ? Gen.Const(0u) : Gen.UInt);

    [Fact]
    public void Compute_RandomData_MatchesWordByWordReferenceSum()
    {
        Gen.Byte.Array[0, 300].Sample(data => Assert.Equal(ReferenceChecksum(data), InternetChecksum.Compute(data)));
    }

    [Fact]
    public void Update16_RandomWordRewrite_EqualsRecomputationAsOnesComplementValue()
    {
        Gen.Select(Data, Gen.Int[0, 1000], Word).Sample((data, pick, word) =>
        {
            var (expected, actual) = Rewrite16(data, pick, word);
            Assert.Equal(expected % 0xFFFF, actual % 0xFFFF);
        }, iter: 2000);
    }

    [Fact]
    public void Update16_RewriteLeavingNonZeroData_EqualsRecomputationExactly()
    {
        Gen.Select(Data, Gen.Int[0, 1000], Word)
            .Where(t => !IsAllZeroAfter(t.Item1, WordOffset(t.Item1, t.Item2, 2), BigEndian16(t.Item3)))
            .Sample((data, pick, word) =>
            {
                var (expected, actual) = Rewrite16(data, pick, word);
                Assert.Equal(expected, actual);
            }, iter: 2000);
    }

    [Fact]
    public void Update32_RandomDoubleWordRewrite_EqualsRecomputationAsOnesComplementValue()
    {
        Gen.Select(Data.Where(d => d.Length >= 4), Gen.Int[0, 1000], DoubleWord).Sample((data, pick, value) =>
        {
            var (expected, actual) = Rewrite32(data, pick, value);
            Assert.Equal(expected % 0xFFFF, actual % 0xFFFF);
        }, iter: 2000);
    }

    [Fact]
    public void Update32_RewriteLeavingNonZeroData_EqualsRecomputationExactly()
    {
        Gen.Select(Data.Where(d => d.Length >= 4), Gen.Int[0, 1000], DoubleWord)
            .Where(t => !IsAllZeroAfter(t.Item1, WordOffset(t.Item1, t.Item2, 4), BigEndian32(t.Item3)))
            .Sample((data, pick, value) =>
            {
                var (expected, actual) = Rewrite32(data, pick, value);
                Assert.Equal(expected, actual);
            }, iter: 2000);
    }

    private static (ushort Recomputed, ushort Updated) Rewrite16(byte[] original, int pick, ushort word)
    {
        var data = (byte[])original.Clone();
        int at = WordOffset(data, pick, 2);
        ushort checksum = InternetChecksum.Compute(data);
        ushort old = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at));
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), word);
        return (InternetChecksum.Compute(data), InternetChecksum.Update(checksum, old, word));
    }

    private static (ushort Recomputed, ushort Updated) Rewrite32(byte[] original, int pick, uint value)
    {
        var data = (byte[])original.Clone();
        int at = WordOffset(data, pick, 4);
        ushort checksum = InternetChecksum.Compute(data);
        uint old = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), value);
        return (InternetChecksum.Compute(data), InternetChecksum.Update(checksum, old, value));
    }

    /// <summary>A 16-bit aligned offset where a field of <paramref name="size"/> bytes fits.</summary>
    private static int WordOffset(byte[] data, int pick, int size) => pick % ((data.Length - size) / 2 + 1) * 2;

    private static bool IsAllZeroAfter(byte[] data, int at, byte[] replacement)
    {
        var copy = (byte[])data.Clone();
        replacement.CopyTo(copy, at);
        return !copy.Any(b => b != 0);
    }

    private static byte[] BigEndian16(ushort value) => [(byte)(value >> 8), (byte)value];

    private static byte[] BigEndian32(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>RFC 1071 §4.1 done the slow way: one word at a time, folding after every add.</summary>
    private static ushort ReferenceChecksum(byte[] data)
    {
        int sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            sum += (data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0);
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
