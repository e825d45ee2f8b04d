using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Tests.Masquerade;

namespace VpnMasq.Protocols.Tests.Checksums;

// Frames captured across veth/virtio links carry the checksum their sender left to offload (Linux CHECKSUM_PARTIAL).
public sealed class OffloadedChecksumTests
{
    private static readonly uint Source = Ipv4Address.Parse("10.0.0.2");
    private static readonly uint Destination = Ipv4Address.Parse("199.0.0.1");

    [Theory]
    [InlineData(IpProtocol.Udp)]
    [InlineData(IpProtocol.Tcp)]
    public void ChecksumLeftToOffload_IsCompleted(byte protocol)
    {
        var datagram = Datagram(protocol);
        int field = 20 + TransportChecksum.FieldOffset(protocol);
        // What the sender's kernel leaves in the field: the folded pseudo-header sum, not complemented.
        uint pseudo = InternetChecksum.PseudoHeaderSum(Source, Destination, protocol, datagram.Length - 20);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(field), (ushort)~InternetChecksum.Finish(pseudo));
        Assert.False(TransportChecksum.IsValid(datagram));

        Assert.True(TransportChecksum.CompleteOffloaded(datagram));

        Assert.True(TransportChecksum.IsValid(datagram));
    }

    [Fact]
    public void ChecksumThatIsMerelyWrong_StaysWrong()
    {
        var datagram = Datagram(IpProtocol.Udp);
        datagram[26] ^= 0x55;

        Assert.False(TransportChecksum.CompleteOffloaded(datagram));
        Assert.False(TransportChecksum.IsValid(datagram));
    }

    [Fact]
    public void ValidChecksum_IsLeftAlone()
    {
        var datagram = Datagram(IpProtocol.Udp);
        var before = datagram.ToArray();

        Assert.False(TransportChecksum.CompleteOffloaded(datagram));
        Assert.Equal(before, datagram);
    }

    private static byte[] Datagram(byte protocol) => protocol == IpProtocol.Udp
        ? TestFrames.DatagramOf(TestFrames.UdpFrame(Source, 40000, Destination, 9999, [1, 2, 3, 4, 5]))
        : TestFrames.DatagramOf(TestFrames.TcpFrame(Source, 40000, Destination, 443, VpnMasq.Protocols.Tcp.TcpFlags.Ack, 1, 1, [1, 2, 3]));
}
