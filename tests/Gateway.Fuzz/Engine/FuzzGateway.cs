using VpnMasq.Node.Replay;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Fuzz.Engine;

/// <summary>
/// The engine the gateway targets fuzz: one fixed configuration with forwards, firewall rules and small
/// limits (so the limit paths are reachable in a few frames), pre-loaded with the established flows of
/// samples/ (an ISAKMP exchange, an ESP session, a PPTP call with its GRE). Each input gets a fresh engine
/// so a run depends on its input alone, as afl-fuzz needs. Nothing here may run before the fork server starts:
/// the instrumented Gateway.Protocols has no coverage map until then, so these statics are first touched by a run.
/// </summary>
internal static class FuzzGateway
{
    public static readonly uint Public = Ipv4Address.Parse("200.200.200.200");
    public static readonly uint Server = Ipv4Address.Parse("199.0.0.1");
    public static readonly uint InsideA = Ipv4Address.Parse("10.0.0.2");
    public static readonly uint InsideB = Ipv4Address.Parse("10.0.0.3");

    /// <summary>A PPTP client on the internet, calling the inside server through the 1723 forward.</summary>
    public static readonly uint Client = Ipv4Address.Parse("198.18.0.7");

    public static MasqueradeOptions Options { get; } = new()
    {
        Inside = [Cidr.Parse("10.0.0.0/8"), Cidr.Parse("192.168.0.0/16")],
        PublicAddress = Public,
        Esp = new EspOptions { InitRetries = 2 },
        PortForwards =
        [
            new PortForward(IpProtocol.Tcp, 1723, InsideB, 1723),
            new PortForward(IpProtocol.Udp, 4500, InsideB, 4500),
            new PortForward(IpProtocol.Tcp, 8080, Ipv4Address.Parse("10.0.0.9"), 80),
        ],
        ProtocolForwards = [new ProtocolForward(IpProtocol.Gre, InsideB)],
        Rules =
        [
            "-P forward DENY",
            "-A input -j DENY -p tcp -d 0/0 23",
            "-A input -j REJECT -p udp -d 0/0 161",
            "-A forward -j REJECT -p tcp -s 10.0.0.66/32",
            "-A forward -j ACCEPT -s 192.168.7.0/24",
            "-A forward -j MASQ -s 10.0.0.0/8 -d 0/0",
            "-A forward -j MASQ -s 192.168.0.0/16 -d 0/0",
            "-A output -j DENY -p icmp -d 198.51.100.0/24",
        ],
        Limits = new LimitOptions { EntriesPerPeer = 24, Peers = 12, FragmentTrains = 6, Mtu = 576 },
    };

    private static readonly Lazy<IReadOnlyList<(byte[] Frame, TimeSpan At)>> Samples = new(ReadSamples);

    /// <summary>A fresh engine with the samples' flows established, and the time of the last sample frame.</summary>
    public static (SingleProcessGateway Gateway, TimeSpan Now) Create()
    {
        var gateway = new SingleProcessGateway(Options);
        var events = new List<PeerEvent>();
        var now = TimeSpan.Zero;
        foreach (var (frame, at) in Samples.Value)
        {
            now = at;
            gateway.Process(frame.ToArray(), null, now, events);
        }

        return (gateway, now);
    }

    /// <summary>Every frame of samples/*.pcap (embedded in this program), on one clock starting at 1 s.</summary>
    private static List<(byte[], TimeSpan)> ReadSamples()
    {
        var frames = new List<(byte[] Frame, TimeSpan At)>();
        var assembly = typeof(FuzzGateway).Assembly;
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("samples/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new CaptureFileReader(assembly.GetManifestResourceStream(name)!, name);
            TimeSpan? first = null;
            while (reader.TryRead(out var frame))
            {
                first ??= frame.Timestamp;
                frames.Add((frame.Data, TimeSpan.FromSeconds(1) + (frame.Timestamp - first.Value)));
            }
        }

        if (frames.Count == 0)
            throw new InvalidOperationException("no samples embedded: the established flows are missing");
        return [.. frames.OrderBy(f => f.At)];
    }
}
