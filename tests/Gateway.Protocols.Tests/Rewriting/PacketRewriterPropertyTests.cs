using CsCheck;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Tests.Support;

namespace VpnMasq.Protocols.Tests.Rewriting;

/// <summary>
/// Every rewrite of a valid datagram must leave it valid: the incrementally fixed transport
/// checksum equals recomputation (TransportChecksum.IsValid compares exactly), and so does the
/// IP header checksum.
/// </summary>
public sealed class PacketRewriterPropertyTests
{
    private const int Iterations = 500;

    [Fact]
    public void SetSourceAddress_AnyDatagram_KeepsChecksumsEqualToRecomputation()
    {
        Gen.Select(Generators.AnyDatagram, Gen.UInt).Sample((datagram, address) =>
        {
            PacketRewriter.SetSourceAddress(datagram, address);
            AssertChecksumsRecompute(datagram);
        }, iter: Iterations);
    }

    [Fact]
    public void SetDestinationAddress_AnyDatagram_KeepsChecksumsEqualToRecomputation()
    {
        Gen.Select(Generators.AnyDatagram, Gen.UInt).Sample((datagram, address) =>
        {
            PacketRewriter.SetDestinationAddress(datagram, address);
            AssertChecksumsRecompute(datagram);
        }, iter: Iterations);
    }

    [Fact]
    public void SetSourcePort_TcpOrUdp_KeepsChecksumsEqualToRecomputation()
    {
        Gen.Select(Generators.TcpOrUdpDatagram, Gen.UShort).Sample((datagram, port) =>
        {
            PacketRewriter.SetSourcePort(datagram, port);
            AssertChecksumsRecompute(datagram);
        }, iter: Iterations);
    }

    [Fact]
    public void SetDestinationPort_TcpOrUdp_KeepsChecksumsEqualToRecomputation()
    {
        Gen.Select(Generators.TcpOrUdpDatagram, Gen.UShort).Sample((datagram, port) =>
        {
            PacketRewriter.SetDestinationPort(datagram, port);
            AssertChecksumsRecompute(datagram);
        }, iter: Iterations);
    }

    [Fact]
    public void SetIcmpIdentifier_IcmpQuery_KeepsChecksumsEqualToRecomputation()
    {
        Gen.Select(Generators.Datagram(TransportKind.Icmp), Gen.UShort).Sample((datagram, identifier) =>
        {
            PacketRewriter.SetIcmpIdentifier(datagram, identifier);
            AssertChecksumsRecompute(datagram);
        }, iter: Iterations);
    }

    [Fact]
    public void SetIcmpIdentifier_EchoReplyThatMayBecomeAllZero_KeepsChecksumsEqualToRecomputation()
    {
        // Identifiers 0 and sequence 0 without data make the all-zero message likely (see the RFC 1624 corner).
        var zeroOrAny = Gen.Bool.SelectMany(zero => zero ? Gen.Const((ushort)0) : Gen.UShort);
        Gen.Select(zeroOrAny, zeroOrAny, Gen.Byte.Array[0, 2].Select(d => d.Length == 1 ? [] : d), zeroOrAny)
            .Select(t => (Datagrams.Icmp(new IcmpFields(IcmpType.EchoReply, 0, t.Item1, t.Item2), t.Item3), t.Item4))
            .Sample((datagram, identifier) =>
            {
                PacketRewriter.SetIcmpIdentifier(datagram, identifier);
                AssertChecksumsRecompute(datagram);
            }, iter: Iterations);
    }

    [Fact]
    public void ReplaceTransportBytes_AnyRangeBesideTheChecksumField_KeepsChecksumsEqualToRecomputation()
    {
        Generators.TcpOrUdpDatagram
            .SelectMany(datagram => RangeBesideChecksum(datagram).Select(range => (datagram, range.Offset, range.Bytes)))
            .Sample((datagram, offset, bytes) =>
            {
                PacketRewriter.ReplaceTransportBytes(datagram, offset, bytes);
                Assert.Equal(bytes, Datagrams.Segment(datagram).Slice(offset, bytes.Length).ToArray());
                AssertChecksumsRecompute(datagram);
            }, iter: 2000);
    }

    [Fact]
    public void ReplaceTransportBytes_RangeEndingOnLastByteOfOddLengthSegment_KeepsChecksumsEqualToRecomputation()
    {
        Generators.TcpOrUdpDatagram
            .Where(datagram => Datagrams.Segment(datagram).Length % 2 == 1)
            .SelectMany(datagram => Gen.Int[FirstByteAfterChecksum(datagram), Datagrams.Segment(datagram).Length - 1]
                .SelectMany(offset => Gen.Byte.Array[Datagrams.Segment(datagram).Length - offset]
                    .Select(bytes => (datagram, offset, bytes))))
            .Sample((datagram, offset, bytes) =>
            {
                PacketRewriter.ReplaceTransportBytes(datagram, offset, bytes);
                Assert.Equal(bytes, Datagrams.Segment(datagram).Slice(offset, bytes.Length).ToArray());
                AssertChecksumsRecompute(datagram);
            }, iter: 1000);
    }

    [Fact]
    public void AnyRewrite_UdpWithoutChecksum_LeavesChecksumZero()
    {
        Generators.Datagram(TransportKind.UdpWithoutChecksum)
            .SelectMany(datagram => Gen.Select(Gen.Int[0, 4], Gen.UShort, Gen.UInt, RangeBesideChecksum(datagram))
                .Select(t => (datagram, t.Item1, t.Item2, t.Item3, t.Item4)))
            .Sample((datagram, rewrite, port, address, range) =>
            {
                Action<byte[]> apply = rewrite switch
                {
                    0 => d => PacketRewriter.SetSourceAddress(d, address),
                    1 => d => PacketRewriter.SetDestinationAddress(d, address),
                    2 => d => PacketRewriter.SetSourcePort(d, port),
                    3 => d => PacketRewriter.SetDestinationPort(d, port),
                    _ => d => PacketRewriter.ReplaceTransportBytes(d, range.Offset, range.Bytes),
                };
                apply(datagram);

                Assert.Equal(0, Datagrams.StoredTransportChecksum(datagram));
            }, iter: Iterations);
    }

    [Fact]
    public void SetAddress_NonFirstFragment_FixesOnlyTheIpHeader()
    {
        Gen.Select(Gens.NonFirstFragment, Gen.UInt, Gen.UInt).Sample((datagram, source, destination) =>
        {
            var payloadBefore = Datagrams.Segment(datagram).ToArray();

            PacketRewriter.SetSourceAddress(datagram, source);
            PacketRewriter.SetDestinationAddress(datagram, destination);

            Assert.Equal(payloadBefore, Datagrams.Segment(datagram).ToArray());
            Assert.Equal(Datagrams.RecomputedHeaderChecksum(datagram), Datagrams.StoredHeaderChecksum(datagram));
        }, iter: Iterations);
    }

    [Fact]
    public void SetSourceAddress_FirstFragment_FixesTransportChecksumAsForTheWholeDatagram()
    {
        Gen.Select(Generators.TcpOrUdpDatagram, Gen.UInt).Sample((whole, address) =>
        {
            // The same bytes with More Fragments set: the checksum covers data not in this fragment.
            var first = (byte[])whole.Clone();
            first[6] |= 0x20;

            PacketRewriter.SetSourceAddress(whole, address);
            PacketRewriter.SetSourceAddress(first, address);

            Assert.Equal(Datagrams.StoredTransportChecksum(whole), Datagrams.StoredTransportChecksum(first));
        }, iter: Iterations);
    }

    private static void AssertChecksumsRecompute(byte[] datagram)
    {
        Assert.Equal(Datagrams.RecomputedHeaderChecksum(datagram), Datagrams.StoredHeaderChecksum(datagram));
        Assert.True(TransportChecksum.IsValid(datagram), "transport checksum differs from recomputation");
    }

    private static int FirstByteAfterChecksum(byte[] datagram) => TransportChecksum.FieldOffset(datagram[9]) + 2;

    /// <summary>A run of random bytes, at an even or odd offset, entirely before or entirely after the checksum field.</summary>
    private static Gen<(int Offset, byte[] Bytes)> RangeBesideChecksum(byte[] datagram)
    {
        int length = Datagrams.Segment(datagram).Length;
        int field = TransportChecksum.FieldOffset(datagram[9]);
        var before = Gen.Int[0, field - 1].SelectMany(offset => Gen.Byte.Array[0, field - offset].Select(bytes => (offset, bytes)));
        if (length <= field + 2)
            return before;
        var after = Gen.Int[field + 2, length - 1].SelectMany(offset => Gen.Byte.Array[0, length - offset].Select(bytes => (offset, bytes)));
        return Gen.Bool.SelectMany(useAfter => useAfter ? after : before);
    }

    private static class Gens
    {
        /// <summary>A TCP or UDP fragment at a non-zero offset: its bytes are mid-datagram data, not a header.</summary>
        public static readonly Gen<byte[]> NonFirstFragment =
            Gen.Select(Gen.Bool, Gen.UInt, Gen.UInt, Gen.Int[1, 0x1FFF], Gen.Bool, Generators.AnyOptions, Gen.Byte.Array[8, 64])
                .Select(t => Datagrams.BuildUnchecked(
                    new Ipv4Fields(t.Item2, t.Item3, t.Item1 ? IpProtocol.Tcp : IpProtocol.Udp, 0,
                        MoreFragments: t.Item5, FragmentOffsetBytes: t.Item4 * 8, Options: t.Item6),
                    t.Item7));
    }
}
