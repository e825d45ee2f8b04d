using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Tests.Masquerade;

namespace VpnMasq.Protocols.Tests.Rewriting;

// RFC 1812 §5.3.1: a router decrements the TTL of what it forwards and never forwards TTL 0.
public sealed class DecrementTtlTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(2)]
    [InlineData(255)]
    public void Forwarding_DecrementsTtl_AndKeepsTheHeaderChecksumValid(byte ttl)
    {
        var datagram = TestFrames.DatagramOf(TestFrames.UdpFrame(TestFrames.InsideA, 4000, TestFrames.Remote, 53, [1, 2, 3]));
        datagram[8] = ttl;
        TransportChecksum.Fill(datagram);

        Assert.True(PacketRewriter.DecrementTtl(datagram));

        Assert.Equal(ttl - 1, datagram[8]);
        Assert.True(TransportChecksum.IsValid(datagram));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void TtlThatWouldReachZero_IsNotForwarded_AndTheDatagramIsUntouched(byte ttl)
    {
        var datagram = TestFrames.DatagramOf(TestFrames.UdpFrame(TestFrames.InsideA, 4000, TestFrames.Remote, 53));
        datagram[8] = ttl;
        var before = datagram.ToArray();

        Assert.False(PacketRewriter.DecrementTtl(datagram));
        Assert.Equal(before, datagram);
    }
}
