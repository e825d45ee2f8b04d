using BenchmarkDotNet.Attributes;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Rewriting;

namespace VpnMasq.Benchmarks;

/// <summary>
/// The per-frame cost of the hot path: dissect a captured frame down to its VPN header, then
/// masquerade it in place with incremental checksum fix-up. Must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class ParseAndRewriteBenchmarks
{
    private byte[] _esp = [];
    private byte[] _isakmp = [];
    private byte[] _gre = [];

    [GlobalSetup]
    public void Setup()
    {
        _esp = SampleFrames.Esp();
        _isakmp = SampleFrames.Isakmp();
        _gre = SampleFrames.GreV1();
    }

    [Benchmark]
    public uint Esp_ParseAndRewriteSource() => Masquerade(_esp).Spi;

    [Benchmark]
    public ulong Isakmp_ParseAndRewriteSource() => Masquerade(_isakmp).InitiatorCookie;

    [Benchmark]
    public ushort GreV1_ParseAndRewriteKey()
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, _gre);
        var datagram = _gre.AsSpan(d.NetworkOffset, d.IpTotalLength);

        // Inbound GRE: masqueraded Call ID back to the client's, destination back to the inside host.
        PacketRewriter.SetGreCallId(datagram, (ushort)(d.GreCallId ^ 0x00FF));
        PacketRewriter.SetDestinationAddress(datagram, d.Destination ^ 1);
        return d.GreCallId;
    }

    private static Dissection Masquerade(byte[] frame)
    {
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);

        // Alternate between two addresses so every call does a real rewrite of the same frame.
        PacketRewriter.SetSourceAddress(frame.AsSpan(d.NetworkOffset, d.IpTotalLength),
            d.Source == SampleFrames.Public ? SampleFrames.Inside : SampleFrames.Public);
        return d;
    }
}
