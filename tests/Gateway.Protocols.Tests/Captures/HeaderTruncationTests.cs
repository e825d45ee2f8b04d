using System.Buffers.Binary;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Gre;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// Every prefix of every real header of each type in the shared captures, through that type's
/// own Parse: TooShort while the prefix is shorter than the length the header declares, then Ok
/// (reading every property) from exactly that length on. The expected counts are the frame
/// totals of the tshark-derived <see cref="CaptureOutcomes"/>, so no header is silently skipped.
/// </summary>
public sealed class HeaderTruncationTests
{
    [Fact]
    public void EthernetHeader_EveryPrefixOfEveryEthernetFrame_IsTooShortThenAsTheWholeFrame()
    {
        // 1584 Ethernet II frames (Ok) and 65 IEEE 802.3/LLC ones (STP: Unsupported from 14 or 18 bytes on).
        var sources = Frames().Where(f => f.Frame.Record.LinkType == LinkType.Ethernet).Select(f => Source(f, ..));

        AssertEveryPrefix(sources, HeaderProbes.Ethernet, expectedCount: 1649);
    }

    [Fact]
    public void LinuxCookedHeader_EveryPrefix_IsTooShortThenOk()
    {
        // No shared capture uses DLT_LINUX_SLL, so each Ethernet II frame is re-framed with a cooked header.
        var sources = Frames()
            .Where(f => f.Frame.Record.LinkType == LinkType.Ethernet && EthernetHeader.Parse(f.Frame.Record.Data, out _) == ParseStatus.Ok)
            .Select(f => ($"{f.File} frame {f.Frame.Number} as SLL", (ReadOnlyMemory<byte>)Reframed.AsLinuxCooked(f.Frame.Record.Data)));

        AssertEveryPrefix(sources, HeaderProbes.LinuxCooked, expectedCount: 1584);
    }

    [Fact]
    public void Ipv4Header_EveryPrefixOfEveryDatagram_IsTooShortUntilTotalLength()
    {
        var sources = Frames().Where(f => f.Frame.Dissection.Kind != FrameKind.NotIpv4)
            .Select(f => Source(f, f.Frame.Dissection.NetworkOffset..));

        AssertEveryPrefix(sources, HeaderProbes.Ipv4, expectedCount: 1468);
    }

    [Fact]
    public void TcpHeader_EveryPrefixOfEverySegment_IsTooShortUntilTheDataOffset()
    {
        AssertEveryPrefix(Transports(FrameKind.Tcp), HeaderProbes.Tcp, expectedCount: 46);
    }

    [Fact]
    public void UdpHeader_EveryPrefixOfEveryDatagram_IsTooShortUntilTheLengthField()
    {
        var sources = Transports(FrameKind.Udp, FrameKind.Isakmp, FrameKind.NatTIsakmp, FrameKind.NatTEsp, FrameKind.NatTKeepalive);

        AssertEveryPrefix(sources, HeaderProbes.Udp, expectedCount: 917);
    }

    [Fact]
    public void IcmpHeader_EveryPrefixOfEveryIcmpInGre_IsTooShortThenOk()
    {
        // ICMP appears only tunnelled: 10 in zeek-gre-sample (8 echoes, 2 port-unreachable errors), 1 in ppp-GrePackets.
        var sources =
            from f in Frames()
            where f.Frame.Dissection.Kind == FrameKind.Gre
            let icmp = InnerIcmp(f.Frame)
            where icmp is not null
            select ($"{f.File} frame {f.Frame.Number}", (ReadOnlyMemory<byte>)icmp);

        AssertEveryPrefix(sources, HeaderProbes.Icmp, expectedCount: 11);
    }

    [Fact]
    public void EspHeader_EveryPrefixOfEveryEspPacket_IsTooShortUntilEightBytes()
    {
        var sources = Transports(FrameKind.Esp).Concat(Applications(FrameKind.NatTEsp));

        AssertEveryPrefix(sources, HeaderProbes.Esp, expectedCount: 24 + 331);
    }

    [Fact]
    public void AhHeader_EveryPrefix_IsTooShortUntilItsPayloadLength()
    {
        AssertEveryPrefix(Transports(FrameKind.Ah), HeaderProbes.Ah, expectedCount: 2);
    }

    [Fact]
    public void IsakmpHeader_EveryPrefixOfEveryMessage_IsTooShortUntilItsLengthField()
    {
        AssertEveryPrefix(Applications(FrameKind.Isakmp, FrameKind.NatTIsakmp), HeaderProbes.Isakmp, expectedCount: 331 + 251);
    }

    [Fact]
    public void GreHeader_EveryPrefixOfEveryPacket_IsTooShortUntilItsFieldsAndPayload()
    {
        AssertEveryPrefix(Transports(FrameKind.Gre), HeaderProbes.Gre, expectedCount: 405 + 74);
    }

    [Fact]
    public void PptpControlMessage_EveryPrefixOfEveryMessage_IsTooShortUntilItsLengthField()
    {
        // 7 messages in tcpdump-pptp and 9 in ndpi-pptp (PptpCaptureTests lists them).
        var sources = Frames().Where(f => f.Frame.Dissection.Kind == FrameKind.Tcp).SelectMany(PptpMessages);

        AssertEveryPrefix(sources, HeaderProbes.Pptp, expectedCount: 16);
    }

    [Fact]
    public void NatTraversalClassify_EveryPrefixOfEveryPort4500Payload_FollowsRfc3948()
    {
        // Classify sees a whole UDP payload, so one byte is a complete keepalive (0xFF) or malformed,
        // not a truncated marker or SPI; other short prefixes are TooShort.
        var failures = new List<string>();
        var payloads = Frames().Where(f => f.Frame.Dissection.Kind is FrameKind.NatTIsakmp or FrameKind.NatTEsp or FrameKind.NatTKeepalive).ToList();
        foreach (var (file, frame) in payloads)
        {
            Assert.Equal(ParseStatus.Ok, UdpHeader.Parse(frame.Transport, out var udp));
            var payload = udp.Payload;
            for (int length = 0; length <= payload.Length; length++)
            {
                var status = NatTraversal.Classify(payload[..length], out var kind);
                var expected = ExpectedClassification(payload, length);
                if ((status, status == ParseStatus.Ok ? kind : default) != expected)
                    failures.Add($"{file} frame {frame.Number}, first {length} bytes: {status}/{kind}, expected {expected}");
            }
        }

        CaptureAssert.NoProblems(failures);
        Assert.Equal(251 + 331 + 4, payloads.Count);
    }

    private static (ParseStatus, NatTPayloadKind) ExpectedClassification(ReadOnlySpan<byte> payload, int length) => length switch
    {
        1 => payload[0] == 0xFF ? (ParseStatus.Ok, NatTPayloadKind.Keepalive) : (ParseStatus.Malformed, default),
        < NatTraversal.NonEspMarkerLength => (ParseStatus.TooShort, default),
        _ when BinaryPrimitives.ReadUInt32BigEndian(payload) == 0 => (ParseStatus.Ok, NatTPayloadKind.Isakmp),
        < 8 => (ParseStatus.TooShort, default),
        _ => (ParseStatus.Ok, NatTPayloadKind.Esp),
    };

    private static IEnumerable<(string File, DissectedFrame Frame)> Frames() =>
        from file in CaptureOutcomes.Expected.Keys.Order(StringComparer.Ordinal)
        from frame in DissectedFrame.Of(file)
        select (file, frame);

    private static (string Where, ReadOnlyMemory<byte> Bytes) Source((string File, DissectedFrame Frame) f, Range range) =>
        ($"{f.File} frame {f.Frame.Number}", f.Frame.Record.Data.AsMemory()[range]);

    private static IEnumerable<(string, ReadOnlyMemory<byte>)> Transports(params FrameKind[] kinds) =>
        Frames().Where(f => kinds.Contains(f.Frame.Dissection.Kind))
            .Select(f => Source(f, f.Frame.Dissection.TransportOffset..f.Frame.Dissection.NetworkEnd));

    private static IEnumerable<(string, ReadOnlyMemory<byte>)> Applications(params FrameKind[] kinds) =>
        Frames().Where(f => kinds.Contains(f.Frame.Dissection.Kind))
            .Select(f => Source(f, f.Frame.Dissection.ApplicationOffset..f.Frame.Dissection.NetworkEnd));

    /// <summary>Each PPTP control message in a TCP 1723 payload, from its first byte to the payload's end.</summary>
    private static IEnumerable<(string, ReadOnlyMemory<byte>)> PptpMessages((string File, DissectedFrame Frame) f)
    {
        var d = f.Frame.Dissection;
        if (d.SourcePort != PptpControlMessage.TcpPort && d.DestinationPort != PptpControlMessage.TcpPort)
            yield break;
        var payload = f.Frame.Record.Data.AsMemory(d.ApplicationOffset..d.NetworkEnd);
        while (!payload.IsEmpty && PptpControlMessage.TryPeekLength(payload.Span, out int length) && length > 0)
        {
            yield return ($"{f.File} frame {f.Frame.Number} +{d.NetworkEnd - payload.Length - d.ApplicationOffset}", payload);
            payload = payload[Math.Min(length, payload.Length)..];
        }
    }

    /// <summary>The ICMP message inside an IPv4-in-GRE-v0 packet, or null.</summary>
    private static byte[]? InnerIcmp(DissectedFrame frame)
    {
        if (GreHeader.Parse(frame.Transport, out var gre) != ParseStatus.Ok || gre.ProtocolType != EtherType.Ipv4)
            return null;
        return Ipv4Header.Parse(gre.Payload, out var inner) == ParseStatus.Ok && inner.Protocol == IpProtocol.Icmp
            ? inner.Payload.ToArray()
            : null;
    }

    private static void AssertEveryPrefix(IEnumerable<(string Where, ReadOnlyMemory<byte> Bytes)> sources, HeaderProbe probe, int expectedCount)
    {
        var failures = new List<string>();
        int count = 0;
        foreach (var (where, bytes) in sources)
        {
            count++;
            if (Prefixes.FirstProblem(bytes.Span, probe) is { } problem)
                failures.Add($"{where}: {problem}");
        }

        CaptureAssert.NoProblems(failures);
        Assert.Equal(expectedCount, count);
    }
}
