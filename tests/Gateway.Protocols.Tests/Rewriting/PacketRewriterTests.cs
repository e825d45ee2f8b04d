using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Gre;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Support;

namespace VpnMasq.Protocols.Tests.Rewriting;

public sealed class PacketRewriterTests
{
    private static byte[] Tcp() => Datagrams.Tcp(new TcpFields(50000, 1723, 1, 2, TcpFlags.Ack), "abcde"u8);

    [Fact]
    public void SetSourceAddress_Tcp_WritesAddressBigEndianAtOffset12()
    {
        var datagram = Tcp();
        PacketRewriter.SetSourceAddress(datagram, 0xC8C8_C8C8);

        Assert.Equal(new byte[] { 200, 200, 200, 200 }, datagram[12..16]);
    }

    [Fact]
    public void SetDestinationAddress_Tcp_WritesAddressBigEndianAtOffset16()
    {
        var datagram = Tcp();
        PacketRewriter.SetDestinationAddress(datagram, 0x0A00_0063);

        Assert.Equal(new byte[] { 10, 0, 0, 99 }, datagram[16..20]);
    }

    [Fact]
    public void SetSourceAddress_SameAddress_LeavesEveryByteAlone()
    {
        var datagram = Tcp();
        var before = (byte[])datagram.Clone();

        PacketRewriter.SetSourceAddress(datagram, Datagrams.Inside);

        Assert.Equal(before, datagram);
    }

    [Fact]
    public void SetSourcePort_Tcp_WritesPortAtTransportOffset0()
    {
        var datagram = Tcp();
        PacketRewriter.SetSourcePort(datagram, 0x1234);

        Assert.Equal(new byte[] { 0x12, 0x34 }, datagram[20..22]);
    }

    [Fact]
    public void SetDestinationPort_TcpAfterIpOptions_WritesPortAtTransportOffset2()
    {
        var ip = new Ipv4Fields(Datagrams.Inside, Datagrams.Remote, IpProtocol.Tcp, 0, Options: [1, 1, 1, 0]);
        var datagram = Datagrams.Build(ip, Datagrams.TcpSegment(new TcpFields(1, 2), []));

        PacketRewriter.SetDestinationPort(datagram, 0x1234);

        Assert.Equal(new byte[] { 0x12, 0x34 }, datagram[26..28]);
    }

    [Fact]
    public void SetSourcePort_UdpWhoseNewChecksumComputesToZero_WritesFfff()
    {
        // With source port 0 the UDP sum is S and the checksum ~S; a port of ~S makes the sum
        // 0xFFFF, whose checksum 0 must be sent as 0xFFFF (RFC 768).
        ushort port = TransportChecksum.Compute(Datagrams.Udp(0, 500, "x"u8));
        var datagram = Datagrams.Udp(4500, 500, "x"u8);

        PacketRewriter.SetSourcePort(datagram, port);

        Assert.Equal(0xFFFF, Datagrams.StoredTransportChecksum(datagram));
    }

    [Fact]
    public void SetDestinationPort_UdpStoringFfff_KeepsChecksumValid()
    {
        ushort port = TransportChecksum.Compute(Datagrams.Udp(0, 500, "x"u8));
        var datagram = Datagrams.Udp(port, 500, "x"u8); // its checksum is stored as 0xFFFF

        PacketRewriter.SetDestinationPort(datagram, 4500);

        Assert.True(TransportChecksum.IsValid(datagram));
    }

    [Fact]
    public void SetIcmpIdentifier_EchoRequest_WritesIdentifierAtIcmpOffset4()
    {
        var datagram = Datagrams.Icmp(new IcmpFields(IcmpType.EchoRequest, 0, 0x1111, 7), "ping"u8);
        PacketRewriter.SetIcmpIdentifier(datagram, 0xABCD);

        Assert.Equal(new byte[] { 0xAB, 0xCD }, datagram[24..26]);
    }

    [Fact]
    public void SetIcmpIdentifier_ToZeroLeavingAnAllZeroEchoReply_WritesFfff()
    {
        // Echo reply (type 0, code 0), sequence 0, no data: with identifier 0 every byte but the
        // checksum is zero, and the only checksum that verifies is ~(+0) = 0xFFFF (RFC 1071).
        // RFC 1624 eqn. 3 alone yields 0x0000 here, which every receiver rejects.
        var datagram = Datagrams.Icmp(new IcmpFields(IcmpType.EchoReply, 0, 0x4D2, 0), []);

        PacketRewriter.SetIcmpIdentifier(datagram, 0);

        Assert.Equal(0xFFFF, Datagrams.StoredTransportChecksum(datagram));
    }

    [Fact]
    public void SetIcmpIdentifier_UnchangedOnAllZeroEchoReply_KeepsChecksumValid()
    {
        var datagram = Datagrams.Icmp(new IcmpFields(IcmpType.EchoReply, 0, 0, 0), []);

        PacketRewriter.SetIcmpIdentifier(datagram, 0);

        Assert.True(TransportChecksum.IsValid(datagram));
    }

    [Fact]
    public void SetIcmpIdentifier_AwayFromAllZeroEchoReply_KeepsChecksumValid()
    {
        var datagram = Datagrams.Icmp(new IcmpFields(IcmpType.EchoReply, 0, 0, 0), []);

        PacketRewriter.SetIcmpIdentifier(datagram, 0x4D2);

        Assert.True(TransportChecksum.IsValid(datagram));
    }

    [Fact]
    public void SetGreCallId_EnhancedGre_RewritesLowHalfOfTheKeyOnly()
    {
        var gre = GreFields.Enhanced(callId: 0x1111, payloadLength: 4, sequence: 1);
        var segment = new byte[gre.Length + 4];
        gre.WriteTo(segment);
        var datagram = Datagrams.Build(new Ipv4Fields(Datagrams.Inside, Datagrams.Remote, IpProtocol.Gre, 0), segment);

        PacketRewriter.SetGreCallId(datagram, 0xBEEF);

        Assert.Equal(ParseStatus.Ok, GreHeader.Parse(Datagrams.Segment(datagram), out var header));
        Assert.Equal(GreFields.Enhanced(0xBEEF, 4, 1), GreFields.From(header));
    }

    [Fact]
    public void ReplaceTransportBytes_OddOffsetInTcpData_WritesBytesAndKeepsChecksumValid()
    {
        var datagram = Tcp();              // data "abcde" starts at transport offset 20
        PacketRewriter.ReplaceTransportBytes(datagram, 21, "XY"u8);

        Assert.Equal("aXYde"u8.ToArray(), Datagrams.Segment(datagram)[20..].ToArray());
        Assert.True(TransportChecksum.IsValid(datagram));
    }

    [Fact]
    public void ReplaceTransportBytes_LastByteOfOddLengthSegment_KeepsChecksumValid()
    {
        var datagram = Tcp();              // 25-byte segment
        PacketRewriter.ReplaceTransportBytes(datagram, 24, "Z"u8);

        Assert.True(TransportChecksum.IsValid(datagram));
    }

    [Fact]
    public void ReplaceTransportBytes_NoBytes_ChangesNothing()
    {
        var datagram = Tcp();
        var before = (byte[])datagram.Clone();

        PacketRewriter.ReplaceTransportBytes(datagram, 21, []);

        Assert.Equal(before, datagram);
    }

    [Fact]
    public void ReplaceTransportBytes_PptpCallIdInTcpStream_KeepsChecksumValid()
    {
        // An Outgoing-Call-Reply's Peer's Call ID sits at message offset 14, i.e. segment offset 34.
        var message = new byte[32];
        new PptpControlFields(PptpControlType.OutgoingCallReply, 0x0001, 0x0002).WriteTo(message);
        var datagram = Datagrams.Tcp(new TcpFields(1723, 50000, Flags: TcpFlags.Ack | TcpFlags.Psh), message);
        var callId = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(callId, 0xC0DE);

        PacketRewriter.ReplaceTransportBytes(datagram, 20 + 14, callId);

        Assert.True(TransportChecksum.IsValid(datagram));
    }
}
