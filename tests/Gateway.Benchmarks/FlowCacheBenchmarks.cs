using BenchmarkDotNet.Attributes;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Esp;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Front;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Benchmarks;

/// <summary>
/// A node's flow cache on the hot path (DESIGN §1): dissect a frame of an established flow and translate it
/// without asking the peer's owner. The flows are those a real <see cref="PeerState"/> publishes. Each call
/// puts the frame's bytes back afterwards, so every iteration does the same work. Must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class FlowCacheBenchmarks
{
    private const uint Spi = 0x12345678;
    private const ushort ClientCallId = 0x0321;
    private static readonly uint InsideB = Ipv4Address.Parse("10.0.0.3");

    private static readonly MasqueradeSettings Settings = new(new MasqueradeOptions { PublicAddress = SampleFrames.Public });
    private readonly FlowIndex _index = new();
    private readonly GatewayFront _front = new(new MasqueradeOptions { PublicAddress = SampleFrames.Public });
    private byte[] _esp = [];
    private byte[] _espOriginal = [];
    private byte[] _natT = [];
    private byte[] _natTOriginal = [];
    private byte[] _gre = [];
    private byte[] _greOriginal = [];

    [GlobalSetup]
    public void Setup()
    {
        var peer = new PeerState(SampleFrames.Remote, Settings.Options);

        // ESP: the inside host's initial packet, then the remote's reply associates the inbound SPI.
        _espOriginal = SampleFrames.Esp();
        Decide(peer, _espOriginal.ToArray(), Direction.Outbound);
        Decide(peer, Readdressed(SampleFrames.Esp(), SampleFrames.Remote, SampleFrames.Public), Direction.Inbound);

        // NAT-T: two hosts on UDP 4500 to the remote's 4500; the second one's public port is moved.
        Decide(peer, NatTEsp(SampleFrames.Inside, SampleFrames.Remote, NatTraversal.Port, Spi), Direction.Outbound);
        var fromB = Decide(peer, NatTEsp(InsideB, SampleFrames.Remote, NatTraversal.Port, Spi + 1), Direction.Outbound);
        ushort publicPortB = FrameDissector.Dissect(LinkType.Ethernet, fromB).SourcePort;
        _natTOriginal = NatTEsp(SampleFrames.Remote, SampleFrames.Public, publicPortB, Spi + 2);

        // GRE: a call the control connection mapped to 0x4321 (the sample's key), as the owner journals it.
        peer.Apply(new PptpCallMapped(TimeSpan.Zero, SampleFrames.Inside, 1025, ClientCallId, MasqueradedCallId: 0x4321));
        peer.Apply(new PptpPeerCallIdLearned(TimeSpan.Zero, 0x4321, PeerCallId: 0x5555));
        _greOriginal = Readdressed(SampleFrames.GreV1(), SampleFrames.Remote, SampleFrames.Public);

        _index.SetPeerFlows(SampleFrames.Remote, peer.EstablishedFlows());
        _esp = _espOriginal.ToArray();
        _natT = _natTOriginal.ToArray();
        _gre = _greOriginal.ToArray();
        if (!Esp_Outbound() || !NatTEsp_InboundToAMovedPort() || !GreV1_InboundKeyRewrite()
            || !Esp_Outbound_WithFront() || !NatTEsp_InboundToAMovedPort_WithFront() || !GreV1_InboundKeyRewrite_WithFront())
            throw new InvalidOperationException("a benchmark frame misses the flow cache");
    }

    [Benchmark]
    public bool Esp_Outbound() => TranslateAndRestore(_esp, _espOriginal, Direction.Outbound);

    [Benchmark]
    public bool NatTEsp_InboundToAMovedPort() => TranslateAndRestore(_natT, _natTOriginal, Direction.Inbound);

    [Benchmark]
    public bool GreV1_InboundKeyRewrite() => TranslateAndRestore(_gre, _greOriginal, Direction.Inbound);

    // What a captured frame costs a node end to end, short of the wire: the front (checksum intake, firewall
    // chains before and after masquerade), then the flow cache.

    [Benchmark]
    public bool Esp_Outbound_WithFront() => FrontTranslateAndRestore(_esp, _espOriginal, Direction.Outbound);

    [Benchmark]
    public bool NatTEsp_InboundToAMovedPort_WithFront() => FrontTranslateAndRestore(_natT, _natTOriginal, Direction.Inbound);

    [Benchmark]
    public bool GreV1_InboundKeyRewrite_WithFront() => FrontTranslateAndRestore(_gre, _greOriginal, Direction.Inbound);

    /// <summary>The front alone around a verdict (intake, firewall, TTL, output chain, re-fragmenting): what FrontTranslateAndRestore adds to the cache.</summary>
    [Benchmark]
    public bool Esp_Outbound_FrontOnly()
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, _esp);
        bool ok = _front.Prepare(_esp, d, Direction.Outbound, TimeSpan.Zero, out var request) is null
                  && _front.Complete(request, Verdict.Send(ProtocolLabel.Esp, request.Peer, 0, Side.Outside)).Action == VerdictAction.Forward;
        _espOriginal.AsSpan().CopyTo(_esp);
        return ok;
    }

    private bool FrontTranslateAndRestore(byte[] frame, byte[] original, Direction direction)
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        bool hit = _front.Prepare(frame, d, direction, TimeSpan.Zero, out var request) is null
                   && _index.TryTranslate(request.Frame, request.Dissection, request.Direction, request.Peer, SampleFrames.Public, out var verdict, out _)
                   && _front.Complete(request, verdict).Action == VerdictAction.Forward;
        original.AsSpan().CopyTo(frame);
        return hit;
    }

    private bool TranslateAndRestore(byte[] frame, byte[] original, Direction direction)
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        bool hit = _index.TryTranslate(frame, d, direction, SampleFrames.Remote, SampleFrames.Public, out _, out _);
        original.AsSpan().CopyTo(frame);
        return hit;
    }

    /// <summary>Has the owner decide a frame, which must be forwarded; returns it as rewritten.</summary>
    private static byte[] Decide(PeerState peer, byte[] frame, Direction direction)
    {
        var verdict = peer.Handle(frame, FrameDissector.Dissect(LinkType.Ethernet, frame), direction, Settings, TimeSpan.Zero, []);
        if (verdict.Action != VerdictAction.Forward)
            throw new InvalidOperationException($"setup frame {direction} was not forwarded: {verdict.Reason}");
        return frame;
    }

    /// <summary>The same frame between other addresses, checksums fixed up.</summary>
    private static byte[] Readdressed(byte[] frame, uint source, uint destination)
    {
        var datagram = frame.AsSpan(EthernetHeader.UntaggedLength);
        PacketRewriter.SetSourceAddress(datagram, source);
        PacketRewriter.SetDestinationAddress(datagram, destination);
        return frame;
    }

    /// <summary>UDP-encapsulated ESP (RFC 3948) from port 4500: an ESP header and <paramref name="payload"/> opaque bytes.</summary>
    private static byte[] NatTEsp(uint source, uint destination, ushort destinationPort, uint spi, int payload = 120)
    {
        int udpLength = UdpHeader.Length + EspHeader.Length + payload;
        var eth = new EthernetFields(0x02_00_00_00_00_01, 0x02_00_00_00_00_02, EtherType.Ipv4);
        var ip = new Ipv4Fields(source, destination, IpProtocol.Udp, (ushort)(Ipv4Header.MinLength + udpLength), Identification: 0x1234);
        var frame = new byte[eth.Length + ip.TotalLength];
        int at = eth.WriteTo(frame);
        at += ip.WriteTo(frame.AsSpan(at));
        new UdpFields(NatTraversal.Port, destinationPort, (ushort)udpLength).WriteTo(frame.AsSpan(at));
        new EspFields(spi, 7).WriteTo(frame.AsSpan(at + UdpHeader.Length));
        new Random(1).NextBytes(frame.AsSpan(at + UdpHeader.Length + EspHeader.Length));
        TransportChecksum.Fill(frame.AsSpan(eth.Length));
        return frame;
    }
}
