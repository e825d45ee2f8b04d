using VpnMasq.Fuzz.Seeds;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Fuzz.Targets;

/// <summary>
/// FrameDissector.Dissect once per link type it reads. Besides not throwing, what it reports must lie
/// inside the frame: the gateway slices the frame at these offsets without checking them again.
/// </summary>
internal static class DissectorTargets
{
    public static IEnumerable<FuzzTarget> All =>
    [
        Target("dissect-ethernet", LinkType.Ethernet, f => f.AsEthernet()),
        Target("dissect-linux-cooked", LinkType.LinuxCooked, HeaderTargets.LinuxCookedSeed),
        Target("dissect-raw", LinkType.Raw, f => f.Datagram),
        Target("dissect-ipv4", LinkType.Ipv4, f => f.Datagram),
        Target("dissect-null", LinkType.Null, NullSeed),
    ];

    private static FuzzTarget Target(string name, LinkType linkType, Func<SeedFrame, byte[]?> seed) =>
        new(name, input => Dissect(linkType, input), seed);

    private static void Dissect(LinkType linkType, ReadOnlySpan<byte> frame)
    {
        var d = FrameDissector.Dissect(linkType, frame);
        if (!d.IsOk || d.Kind == FrameKind.NotIpv4)
            return;
        if (d.NetworkEnd > frame.Length || d.TransportOffset > d.NetworkEnd || d.ApplicationOffset > d.NetworkEnd)
            throw new InvalidOperationException(
                $"{linkType}: dissection points outside the datagram (network end {d.NetworkEnd}, transport {d.TransportOffset}, " +
                $"application {d.ApplicationOffset}, frame {frame.Length})");
        Sink.Keep(d.Spi + d.SourcePort + d.GreCallId + (long)d.InitiatorCookie);
    }

    /// <summary>BSD loopback: the address family (2, IPv4) in the capturing host's byte order, then the datagram.</summary>
    private static byte[]? NullSeed(SeedFrame frame)
    {
        if (frame.LinkType == LinkType.Null)
            return frame.Frame;
        if (frame.Datagram is not { } datagram)
            return null;
        var loopback = new byte[4 + datagram.Length];
        loopback[0] = 2;
        datagram.CopyTo(loopback, 4);
        return loopback;
    }
}
