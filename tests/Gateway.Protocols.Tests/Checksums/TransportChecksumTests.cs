using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Support;

namespace VpnMasq.Protocols.Tests.Checksums;

public sealed class TransportChecksumTests
{
    [Theory]
    [InlineData(IpProtocol.Tcp, 16)]
    [InlineData(IpProtocol.Udp, 6)]
    [InlineData(IpProtocol.Icmp, 2)]
    [InlineData(IpProtocol.Gre, -1)]
    [InlineData(IpProtocol.Esp, -1)]
    public void FieldOffset_Protocol_IsWhereItsHeaderKeepsTheChecksum(byte protocol, int offset)
    {
        Assert.Equal(offset, TransportChecksum.FieldOffset(protocol));
    }

    [Fact]
    public void Compute_TcpDatagram_CoversPseudoHeaderAndSegment()
    {
        var datagram = Datagrams.Tcp(new TcpFields(1234, 80, 1, 0, TcpFlags.Syn), [0xAB]);
        var segment = Datagrams.Segment(datagram).ToArray();
        segment[16] = 0;
        segment[17] = 0;
        uint sum = InternetChecksum.PseudoHeaderSum(Datagrams.Inside, Datagrams.Remote, IpProtocol.Tcp, segment.Length);

        Assert.Equal(InternetChecksum.Finish(InternetChecksum.Add(sum, segment)), TransportChecksum.Compute(datagram));
    }

    [Fact]
    public void Compute_IcmpDatagram_HasNoPseudoHeader()
    {
        var datagram = Datagrams.Icmp(new IcmpFields(IcmpType.EchoRequest, 0, 0x1234, 1), [1, 2, 3]);
        var message = Datagrams.Segment(datagram).ToArray();
        message[2] = 0;
        message[3] = 0;

        Assert.Equal(InternetChecksum.Compute(message), TransportChecksum.Compute(datagram));
    }

    [Fact]
    public void Compute_UdpSumOfAllOnes_ReturnsFfffBecauseZeroMeansNone()
    {
        // Choose the last data word so that the whole sum is 0xFFFF and the checksum would be 0.
        var datagram = Datagrams.Udp(1000, 2000, [0x11, 0x22, 0, 0]);
        ushort balancing = TransportChecksum.Compute(datagram);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(20 + 8 + 2), balancing);

        Assert.Equal((ushort)0xFFFF, TransportChecksum.Compute(datagram));
    }

    [Fact]
    public void Fill_TcpDatagram_MakesIsValidTrue()
    {
        Assert.True(TransportChecksum.IsValid(Datagrams.Tcp(new TcpFields(1, 2), [1, 2, 3, 4, 5])));
    }

    [Fact]
    public void IsValid_CorruptedPayloadByte_ReturnsFalse()
    {
        var datagram = Datagrams.Udp(1000, 2000, [1, 2, 3]);
        datagram[^1] ^= 0x40;

        Assert.False(TransportChecksum.IsValid(datagram));
    }

    [Fact]
    public void IsValid_CorruptedIpHeader_ReturnsFalse()
    {
        var datagram = Datagrams.Udp(1000, 2000, [1, 2, 3]);
        datagram[8] ^= 0x01; // TTL

        Assert.False(TransportChecksum.IsValid(datagram));
    }

    [Fact]
    public void IsValid_UdpChecksumZero_CountsAsValid()
    {
        var datagram = Datagrams.Udp(1000, 2000, [1, 2, 3]);
        datagram[26] = 0;
        datagram[27] = 0;

        Assert.True(TransportChecksum.IsValid(datagram));
    }

    [Fact]
    public void IsValid_Fragment_ChecksOnlyTheIpHeader()
    {
        var ip = new Ipv4Fields(Datagrams.Inside, Datagrams.Remote, IpProtocol.Tcp, 0, MoreFragments: true);
        var datagram = Datagrams.BuildUnchecked(ip, new byte[24]);

        Assert.True(TransportChecksum.IsValid(datagram));
    }
}
