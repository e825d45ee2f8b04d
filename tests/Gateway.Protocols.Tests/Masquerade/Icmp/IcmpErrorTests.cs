using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Icmp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Icmp;

// DESIGN §3.1: ICMP errors follow the mapping of the datagram they quote, whoever reports them.
public sealed class IcmpErrorTests
{
    private const int QuoteOffset = 20 + 8;

    /// <summary>Host B's datagram to Remote:53 as it left (A holds source port 5000, so B's was moved).</summary>
    private static (GatewayUnderTest Gateway, byte[] Sent) MovedDatagramFromB()
    {
        var gateway = GatewayUnderTest.Create();
        gateway.Send(UdpFrame(InsideA, 5000, Remote, 53));
        var sent = DatagramOf(gateway.Send(UdpFrame(InsideB, 5000, Remote, 53, [1, 2, 3, 4])).Outside);
        return (gateway, sent);
    }

    /// <summary>Where the quote inside a delivered error now points: its source address and port, and its header checksum.</summary>
    private static (uint Source, ushort Port, ushort HeaderChecksum) Quote(byte[] frame)
    {
        var quote = DatagramOf(frame).AsSpan(QuoteOffset);
        return (ReadUInt32(quote[12..]), ReadUInt16(quote, 20), InternetChecksum.Compute(quote[..20]));
    }

    [Fact]
    public void PortUnreachable_FromRemote_GoesToInsideHostWithQuoteRewritten()
    {
        var (gateway, sent) = MovedDatagramFromB();

        var error = gateway.Send(IcmpErrorFrame(Remote, Public, IcmpType.DestinationUnreachable, 3, sent)).Inside;

        Assert.Equal(InsideB, Dissect(error).Destination);
        Assert.Equal((InsideB, (ushort)5000, (ushort)0), Quote(error));
    }

    [Fact]
    public void TimeExceeded_FromRouterOnPath_GoesToInsideHostWithQuoteRewritten()
    {
        var (gateway, sent) = MovedDatagramFromB();

        var error = gateway.Send(IcmpErrorFrame(Router, Public, IcmpType.TimeExceeded, 0, sent)).Inside;

        Assert.Equal((Router, InsideB), (Dissect(error).Source, Dissect(error).Destination));
        Assert.Equal((InsideB, (ushort)5000, (ushort)0), Quote(error));
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
}

// DESIGN §3.1 and §3.3: an error about masqueraded ESP (e.g. fragmentation needed) reaches the host that sent it.
public sealed class IcmpErrorAboutEspTests
{
    [Fact]
    public void FragmentationNeeded_AboutMasqueradedEsp_GoesToTheHostOwningTheQuotedSpi()
    {
        var gateway = GatewayUnderTest.Create();
        gateway.Send(EspFrame(InsideA, Remote, 0x1111));
        gateway.Send(EspFrame(Remote, Public, 0x2222));
        var sent = DatagramOf(gateway.Send(EspFrame(InsideA, Remote, 0x1111, sequence: 2)).Outside);

        var error = gateway.Send(IcmpErrorFrame(Remote, Public, IcmpType.DestinationUnreachable, 4, sent)).Inside;

        Assert.Equal(InsideA, Dissect(error).Destination);
        var quote = DatagramOf(error).AsSpan(20 + 8);
        Assert.Equal(InsideA, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(quote[12..]));
        Assert.Equal(0x1111u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(quote[20..]));
        Assert.Equal(0, InternetChecksum.Compute(quote[..20]));
    }

    [Fact]
    public void ErrorAboutEspWithAnUnknownSpi_IsDroppedAsNoMapping()
    {
        var gateway = GatewayUnderTest.Create();
        var stray = DatagramOf(EspFrame(Public, Remote, 0x9999));

        var outcome = gateway.Send(IcmpErrorFrame(Remote, Public, IcmpType.DestinationUnreachable, 4, stray));

        Assert.Equal(Protocols.Masquerade.DropReason.NoMapping, outcome.Verdict.Reason);
    }
}
