using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Fragments;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade;

// The gateway front (DESIGN §3.1, §3.8): what happens to a frame before and after a peer decides it.
public sealed class SingleProcessGatewayTests
{
    [Theory]
    [InlineData("udp")]
    [InlineData("tcp-syn")]
    [InlineData("icmp-echo-reply")]
    [InlineData("gre")]
    [InlineData("esp")]
    [InlineData("other-protocol")]
    public void Inbound_MatchingNothingAndNoForward_IsDroppedNoMapping(string kind)
    {
        var gateway = GatewayUnderTest.Create();
        gateway.Send(UdpFrame(InsideA, 5000, Remote, 53));   // the remote is known; nothing below matches its state
        var frame = kind switch
        {
            "udp" => UdpFrame(Remote, 53, Public, 5001),
            "tcp-syn" => TcpFrame(Remote, 4000, Public, 22, TcpFlags.Syn),
            "icmp-echo-reply" => EchoFrame(Remote, Public, IcmpType.EchoReply, 0x99),
            "gre" => GreFrame(Remote, Public, 0x1234),
            "esp" => EspFrame(Remote, Public, 0x01020304),
            _ => Ethernet(Datagram(Remote, Public, 99, new byte[8])),
        };

        gateway.Send(frame).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void FragmentedIkeMessage_HoldHoldThenForward_EveryOutputWithinMtuAndValid()
    {
        var gateway = GatewayUnderTest.Create();
        var whole = UdpDatagram(InsideA, 500, Remote, 500, IsakmpMessage(0x0102030405060708, 0, 3000), identification: 0x4242);
        var fragments = FragmentsOf(whole, 1500);

        var outcomes = fragments.Select(gateway.Send).ToList();

        Assert.Equal([VerdictAction.Hold, VerdictAction.Hold, VerdictAction.Forward], outcomes.Select(o => o.Verdict.Action));
        var sent = outcomes[^1].Outputs;
        Assert.All(sent, o => Assert.Equal(Side.Outside, o.Side));
        Assert.All(sent, o => Assert.InRange(Dissect(o.Frame).IpTotalLength, 1, 1500));
        var reassembled = Reassemble(sent.Select(o => o.Frame));
        Assert.True(TransportChecksum.IsValid(reassembled), "reassembled output has a bad UDP checksum");
        Assert.Equal((whole.Length, Public), (reassembled.Length, ReadSource(reassembled)));
    }

    [Fact]
    public void EveryDropReason_HasItsOwnKebabCaseCode()
    {
        var codes = Enum.GetValues<DropReason>().Where(r => r != DropReason.None).Select(r => r.Code()).ToList();

        Assert.All(codes, code => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", code));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Subset(codes.ToHashSet(), DesignDropCodes);
    }

    /// <summary>The drop reasons DESIGN §5.2 names.</summary>
    private static readonly HashSet<string> DesignDropCodes =
    [
        "esp-init-blocked", "esp-zero-spi", "esp-parallel-refused", "isakmp-zero-cookie", "isakmp-cookie-collision",
        "ah-not-masqueradable", "no-mapping", "rule-deny", "malformed",
    ];

    private static byte[] Reassemble(IEnumerable<byte[]> frames)
    {
        var reassembler = new FragmentReassembler(new LimitOptions());
        ReassemblyResult last = default;
        foreach (var frame in frames)
            last = reassembler.Add(frame, 14, TimeSpan.Zero);
        Assert.Equal(ReassemblyStatus.Complete, last.Status);
        return DatagramOf(last.Frame!);
    }

    private static uint ReadSource(byte[] datagram) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(12));
}
