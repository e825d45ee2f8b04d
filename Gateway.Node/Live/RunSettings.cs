using Microsoft.Extensions.Configuration;
using VpnMasq.Node.Configuration;
using static VpnMasq.Node.Configuration.SectionValues;

namespace VpnMasq.Node.Live;

/// <summary>What <c>vpnmasqd run</c> needs beyond the cluster settings (DESIGN §5.3).</summary>
internal sealed record RunSettings(
    string InsideInterface, string OutsideInterface, bool ManageKernel, string ManagementUrl, string? TokenFile, CaptureSettings Capture)
{
    public static RunSettings Bind(IConfiguration configuration)
    {
        var node = configuration.GetSection("Node");
        var management = configuration.GetSection("Management");
        RequireKnownKeys(management, "Url", "TokenFile");
        var capture = configuration.GetSection("Capture");
        RequireKnownKeys(capture, "Immediate", "BufferMegabytes", "ReadTimeoutMilliseconds", "NeighbourReachableSeconds");
        string inside = Text(node.GetSection("InsideInterface")) is { Length: > 0 } i
            ? i : throw Missing(node.GetSection("InsideInterface"), "the interface towards the inside network, e.g. --inside eth0");
        string outside = Text(node.GetSection("OutsideInterface")) is { Length: > 0 } o
            ? o : throw Missing(node.GetSection("OutsideInterface"), "the interface towards the internet, e.g. --outside eth1");
        if (inside == outside)
            throw ConfigurationException.ForKey("Node:OutsideInterface", $"'{outside}' is also the inside interface; the gateway needs two");
        return new RunSettings(
            inside,
            outside,
            Boolean(node.GetSection("ManageKernel"), fallback: false),
            Text(management.GetSection("Url")) ?? "http://127.0.0.1:9555",
            Text(management.GetSection("TokenFile")),
            new CaptureSettings(
                Boolean(capture.GetSection("Immediate"), fallback: true),
                Integer(capture.GetSection("BufferMegabytes"), CaptureSettings.DefaultBufferMegabytes, 1, 1024),
                Integer(capture.GetSection("ReadTimeoutMilliseconds"), 100, 1, 10_000),
                Integer(capture.GetSection("NeighbourReachableSeconds"), 30, 1, 3600)));
    }
}

/// <summary>
/// libpcap settings (<c>Capture:*</c>). Immediate mode is what keeps a tunnel's latency at the
/// wire's: without it libpcap hands frames over when its buffer fills or the read timeout ends
/// (scripts/e2e/capture-settings.sh measures the difference). A next hop's Ethernet address is
/// trusted for <see cref="NeighbourReachableSeconds"/> after it was last heard; one still in use
/// then is asked again (ARP), so a MAC that changed silently is followed, as the kernel's NUD does.
/// </summary>
internal sealed record CaptureSettings(
    bool Immediate = true, int BufferMegabytes = CaptureSettings.DefaultBufferMegabytes, int ReadTimeoutMilliseconds = 100, int NeighbourReachableSeconds = 30)
{
    /// <summary>
    /// Per interface. The ring is resident from the start: measured, each megabyte here costs the node about 4 MB of RSS
    /// over its two interfaces (32 MB: 239 MB idle; 8 MB: 143 MB). With offloads off libpcap sizes a slot by the MTU, so
    /// 8 MB holds thousands of frames; a ring that overflows is counted (capture-ring-full), never silent.
    /// </summary>
    public const int DefaultBufferMegabytes = 8;
}
