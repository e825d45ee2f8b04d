using System.Buffers.Binary;

namespace VpnMasq.Protocols.Checksums;

/// <summary>
/// The one's-complement Internet checksum (RFC 1071) and its incremental update (RFC 1624).
/// Every checksum the gateway computes or fixes goes through here.
/// </summary>
internal static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> as big-endian 16-bit words to a running 32-bit sum.</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        ulong acc = sum;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            ulong word = BinaryPrimitives.ReadUInt64BigEndian(data[i..]);
            acc += (word >> 48) + ((word >> 32) & 0xFFFF) + ((word >> 16) & 0xFFFF) + (word & 0xFFFF);
        }

        for (; i + 2 <= data.Length; i += 2)
            acc += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length)
            acc += (uint)data[i] << 8;

        while (acc > 0xFFFF_FFFF)
            acc = (acc & 0xFFFF_FFFF) + (acc >> 32);
        return (uint)acc;
    }

    public static uint Add(uint sum, ushort word) => Fold32(sum + (ulong)word);

    public static uint Add(uint sum, uint doubleWord) => Add(Add(sum, (ushort)(doubleWord >> 16)), (ushort)doubleWord);

    /// <summary>Folds a running sum to 16 bits and complements it: the value to store in a header.</summary>
    public static ushort Finish(uint sum)
    {
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>Sum of the IPv4 pseudo-header that TCP and UDP checksums cover (RFC 793, RFC 768).</summary>
    public static uint PseudoHeaderSum(uint source, uint destination, byte protocol, int transportLength)
    {
        uint sum = Add(0, source);
        sum = Add(sum, destination);
        sum = Add(sum, (ushort)protocol);
        return Add(sum, (ushort)transportLength);
    }

    /// <summary>
    /// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). Correct for any checksum, including the
    /// 0x0000/0xFFFF corner that eqn. 2 of RFC 1141 gets wrong.
    /// </summary>
    public static ushort Update(ushort checksum, ushort oldWord, ushort newWord)
    {
        uint sum = (uint)(ushort)~checksum + (ushort)~oldWord + newWord;
        return Finish(sum);
    }

    /// <summary>Incremental update for a 32-bit field such as an IPv4 address.</summary>
    public static ushort Update(ushort checksum, uint oldValue, uint newValue)
    {
        uint sum = (uint)(ushort)~checksum
            + (ushort)~(oldValue >> 16) + (ushort)~oldValue
            + (newValue >> 16) + (newValue & 0xFFFF);
        return Finish(sum);
    }

    private static uint Fold32(ulong sum)
    {
        while (sum > 0xFFFF_FFFF)
            sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        return (uint)sum;
    }
}
