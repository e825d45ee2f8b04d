namespace VpnMasq.Protocols.Masquerade;

/// <summary>
/// Everything the masquerade engine is configured with (DESIGN §5.1), already validated.
/// The Node binds it from configuration; tests build it directly.
/// </summary>
public sealed record MasqueradeOptions
{
    public IReadOnlyList<Cidr> Inside { get; init; } = [Cidr.Parse("10.0.0.0/8")];

    /// <summary>The public address; 0 until known when the configuration says "auto".</summary>
    public uint PublicAddress { get; init; }
    public bool PublicAddressAuto { get; init; }
    public EspOptions Esp { get; init; } = new();
    public IsakmpOptions Isakmp { get; init; } = new();
    public PortOptions Ports { get; init; } = new();
    public IReadOnlyList<PortForward> PortForwards { get; init; } = [];
    public IReadOnlyList<ProtocolForward> ProtocolForwards { get; init; } = [];

    /// <summary>
    /// Inside addresses routed as they are, not masqueraded (registered addresses, HOWTO §3.9/§3.10): the only inside
    /// addresses an outside frame may be sent to directly, and then only when the forward chain ACCEPTs it. Empty by default.
    /// </summary>
    public IReadOnlyList<Cidr> Routed { get; init; } = [];

    /// <summary>Firewall rules in ipchains or ipfwadm form; empty means "masquerade everything from Inside".</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];

    /// <summary>Interface name treated as the inside one by rules with "-i"/"-W"; every other name is outside.</summary>
    public string InsideInterface { get; init; } = "eth0";
    public LimitOptions Limits { get; init; } = new();

    public bool IsRouted(uint address) => AnyContains(Routed, address);

    public bool IsInside(uint address) => AnyContains(Inside, address);

    // Indexed, not foreach: enumerating an IReadOnlyList through the interface allocates an enumerator, and this
    // runs for every captured frame (FrontAllocationTests measured 32 B a frame).
    private static bool AnyContains(IReadOnlyList<Cidr> networks, uint address)
    {
        for (int i = 0; i < networks.Count; i++)
        {
            if (networks[i].Contains(address))
                return true;
        }

        return false;
    }
}

public sealed record EspOptions
{
    public TimeSpan TableLifetime { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan InitLifetime { get; init; } = TimeSpan.FromSeconds(10);
    public int InitRetries { get; init; } = 3;
    public bool ParallelSessions { get; init; }
}

public sealed record IsakmpOptions
{
    /// <summary>At least the ESP table lifetime, so a rekey the remote starts later still finds its way (HOWTO §5.7).</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(30);
}

public sealed record PortOptions
{
    public TimeSpan TcpEstablishedLifetime { get; init; } = TimeSpan.FromHours(2);
    public TimeSpan TcpTransitoryLifetime { get; init; } = TimeSpan.FromMinutes(4);
    public TimeSpan TcpClosingLifetime { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan UdpLifetime { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan IcmpLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Public ports handed out when a source port is taken (ip_masq's 61000-65095 range, widened).</summary>
    public ushort FirstPort { get; init; } = 40000;
    public ushort LastPort { get; init; } = 65000;
}

public sealed record LimitOptions
{
    /// <summary>Most entries (mappings, SAs, calls) one remote peer may hold; the oldest idle one is evicted beyond it.</summary>
    public int EntriesPerPeer { get; init; } = 4096;

    /// <summary>Most remote peers the gateway tracks; beyond it new peers are refused (table-full) and idle empty ones are swept.</summary>
    public int Peers { get; init; } = 100_000;

    /// <summary>Most fragment trains held for reassembly at once.</summary>
    public int FragmentTrains { get; init; } = 1024;
    public TimeSpan FragmentTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The link MTU where no link tells it (replay). A live node uses each interface's own MTU: bigger datagrams are
    /// fragmented, or answered with ICMP Fragmentation Needed when they carry DF.
    /// </summary>
    public int Mtu { get; init; } = 1500;
}

/// <summary>ipportfw: public address + TCP/UDP port to an inside host and port (HOWTO §3.8).</summary>
public sealed record PortForward(byte Protocol, ushort PublicPort, uint TargetAddress, ushort TargetPort);

/// <summary>ipfwd: an IP protocol (47, 50) arriving at the public address goes to an inside host (HOWTO §3.8).</summary>
public sealed record ProtocolForward(byte Protocol, uint TargetAddress);
