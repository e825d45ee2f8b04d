using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade;

// DESIGN §5.2: every frame the gateway sends carries valid IPv4 and transport checksums. Rewrites update
// checksums incrementally, which keeps a wrong one wrong; so what arrives is checked first. Checksums a
// sender left to offload (captured on the sending host) are completed; damaged frames are dropped, counted
// as bad-checksum, as a router drops a bad IPv4 header and Linux conntrack a bad TCP/UDP/ICMP checksum.
public sealed class ChecksumIntakeTests
{
    private const int Ethernet = 14;

    private static uint SourceOf(byte[] frame) => BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(Ethernet + Ipv4Header.SourceOffset));

    [Fact]
    public void OffloadedIpv4HeaderChecksum_Zero_IsCompleted_AndTheOutputIsValid()
    {
        var gateway = GatewayUnderTest.Create();
        var frame = UdpFrame(InsideA, 5000, Remote, 53, [1, 2, 3]);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(Ethernet + Ipv4Header.ChecksumOffset), 0);

        var sent = gateway.Send(frame).Outside; // Send checks every output's checksums

        Assert.Equal(Public, SourceOf(sent));
    }

    [Fact]
    public void DamagedIpv4HeaderChecksum_IsDroppedBadChecksum()
    {
        var gateway = GatewayUnderTest.Create();
        var frame = UdpFrame(InsideA, 5000, Remote, 53, [1, 2, 3]);
        frame[Ethernet + Ipv4Header.ChecksumOffset] ^= 0x40;

        gateway.Send(frame).AssertDropped(DropReason.BadChecksum);
        Assert.Equal(0, gateway.Gateway.Peers.Values.Sum(p => p.EntryCount)); // nothing was set up for it
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    [InlineData("icmp")]
    public void DamagedTransportChecksum_IsDroppedBadChecksum(string kind)
    {
        var gateway = GatewayUnderTest.Create();
        var frame = kind switch
        {
            "udp" => UdpFrame(InsideA, 5000, Remote, 53, [1, 2, 3]),
            "tcp" => TcpFrame(InsideA, 4000, Remote, 80, TcpFlags.Syn),
            _ => EchoFrame(InsideA, Remote, VpnMasq.Protocols.Icmp.IcmpType.EchoRequest, 0x77),
        };
        frame[^1] ^= 0x01; // the last payload byte: the checksum no longer matches

        gateway.Send(frame).AssertDropped(DropReason.BadChecksum);
    }

    [Fact]
    public void UdpWithoutChecksum_IsForwarded_StillWithoutOne()
    {
        var gateway = GatewayUnderTest.Create();
        var frame = UdpFrame(InsideA, 5000, Remote, 53, [1, 2, 3]);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(Ethernet + 20 + 6), 0);

        var sent = gateway.Send(frame).Outside;

        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(sent.AsSpan(Ethernet + 20 + 6)));
    }

    [Fact]
    public void OffloadedTcpChecksum_PseudoHeaderSumOnly_IsCompleted_AndTheOutputIsValid()
    {
        var gateway = GatewayUnderTest.Create();
        var frame = TcpFrame(InsideA, 4000, Remote, 80, TcpFlags.Syn);
        int length = frame.Length - Ethernet - 20;
        ushort partial = (ushort)~InternetChecksum.Finish(InternetChecksum.PseudoHeaderSum(InsideA, Remote, IpProtocol.Tcp, length));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(Ethernet + 20 + 16), partial);

        var sent = gateway.Send(frame).Outside;

        Assert.Equal(Public, SourceOf(sent));
    }

    [Fact]
    public void FragmentedDatagram_WithADamagedTransportChecksum_IsDroppedOnceReassembled()
    {
        var gateway = GatewayUnderTest.Create();
        var whole = UdpDatagram(InsideA, 500, Remote, 500, IsakmpMessage(0x0102030405060708, 0, 3000), identification: 0x4243);
        whole[^1] ^= 0x01;
        var fragments = FragmentsOf(whole, 1500);

        var outcomes = fragments.Select(gateway.Send).ToList();

        Assert.Equal([VerdictAction.Hold, VerdictAction.Hold, VerdictAction.Drop], outcomes.Select(o => o.Verdict.Action));
        outcomes[^1].AssertDropped(DropReason.BadChecksum);
    }
}
