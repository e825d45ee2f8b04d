using System.Collections.Concurrent;
using System.Globalization;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Node.Live;

/// <summary>
/// Next hops and their Ethernet addresses on one link: routes from /proc/net/route; addresses from ARP
/// traffic the capture sees (requests, replies, gratuitous ARP) and, for hosts not heard yet, from the
/// kernel's neighbour table (/proc/net/arp). An address is trusted for <c>reachableFor</c> after it was
/// last heard; a next hop still in use after that is asked again (<see cref="DueForProbe"/>), so one whose
/// MAC changed without a word is followed within about that time. Lookups never touch the file system:
/// the link's timer calls <see cref="Refresh"/>, so no captured frame waits for /proc.
/// </summary>
internal sealed class Neighbours(LinkInfo link, TimeSpan reachableFor, TimeProvider clock)
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RefreshWhileResolving = TimeSpan.FromMilliseconds(100);
    private const long ProbeEveryMs = 1000;
    private readonly ConcurrentDictionary<uint, Neighbour> _neighbours = new();
    private readonly long _reachableMs = (long)reachableFor.TotalMilliseconds;
    private volatile List<(uint Destination, uint Mask, int Length, uint Gateway)> _routes = [];
    private long? _refreshedAt;

    /// <summary>What ARP on the wire says: the newest word on a host's address.</summary>
    public void Learn(uint address, ReadOnlySpan<byte> mac)
    {
        if (address == 0 || mac.Length != 6 || mac.SequenceEqual(link.Mac))
            return;
        long now = Environment.TickCount64;
        if (_neighbours.TryGetValue(address, out var known) && mac.SequenceEqual(known.Mac))
        {
            known.HeardAt = now;
            return;
        }

        _neighbours[address] = new Neighbour(mac.ToArray(), now) { UsedAt = known?.UsedAt ?? 0 };
    }

    /// <summary>The next hop towards <paramref name="destination"/> on this link: itself when on-link, else the route's gateway.</summary>
    public uint NextHop(uint destination)
    {
        if (link.OnLink(destination))
            return destination;
        uint bestGateway = 0;
        int bestLength = -1;
        foreach (var (dest, mask, length, gateway) in _routes)
        {
            if ((destination & mask) == dest && length > bestLength)
                (bestGateway, bestLength) = (gateway == 0 ? destination : gateway, length);
        }

        return bestLength < 0 ? destination : bestGateway;
    }

    /// <summary>The address to send to; marks the neighbour as in use, so it is kept fresh.</summary>
    public bool TryGetMac(uint address, out byte[] mac)
    {
        if (_neighbours.TryGetValue(address, out var neighbour))
        {
            neighbour.UsedAt = Environment.TickCount64;
            mac = neighbour.Mac;
            return true;
        }

        mac = null!;
        return false;
    }

    /// <summary>
    /// Next hops used within the reachable time whose address was last heard longer ago than that, and not asked
    /// in the last second: the caller sends each an ARP request and keeps using the known address meanwhile.
    /// </summary>
    public List<uint>? DueForProbe()
    {
        long now = Environment.TickCount64;
        List<uint>? due = null;
        foreach (var (address, neighbour) in _neighbours)
        {
            if (now - neighbour.UsedAt < _reachableMs && now - neighbour.HeardAt >= _reachableMs && now - neighbour.ProbedAt >= ProbeEveryMs)
            {
                neighbour.ProbedAt = now;
                (due ??= []).Add(address);
            }
        }

        return due;
    }

    /// <summary>Re-reads the kernel's routes and neighbours when due: every 2 s, or every 100 ms while a next hop is being resolved.</summary>
    public void Refresh(bool resolving)
    {
        if (_refreshedAt is { } at && clock.GetElapsedTime(at) < (resolving ? RefreshWhileResolving : RefreshEvery))
            return;
        _refreshedAt = clock.GetTimestamp();
        ReadArpTable();
        ReadRoutes();
    }

    private void ReadArpTable()
    {
        // IP address  HW type  Flags  HW address  Mask  Device; flag 0x2 = complete (ATF_COM), also set on permanent (0x6) entries.
        // The kernel keeps a complete entry's old address while it goes stale, so it only fills in hosts not heard yet.
        foreach (var line in File.ReadLines("/proc/net/arp").Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || f[5] != link.Name || !IsComplete(f[2]) || !Ipv4Address.TryParse(f[0], out uint ip) || _neighbours.ContainsKey(ip))
                continue;
            var mac = Convert.FromHexString(f[3].Replace(":", "", StringComparison.Ordinal));
            if (mac.Length == 6 && !mac.AsSpan().SequenceEqual(link.Mac))
                _neighbours.TryAdd(ip, new Neighbour(mac, Environment.TickCount64));
        }
    }

    private static bool IsComplete(string flags) =>
        flags.StartsWith("0x", StringComparison.Ordinal) &&
        int.TryParse(flags.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int value) &&
        (value & 0x2) != 0;

    private void ReadRoutes()
    {
        // Iface Destination Gateway Flags RefCnt Use Metric Mask …, addresses in host byte order (little-endian hex).
        var routes = new List<(uint, uint, int, uint)>();
        foreach (var line in File.ReadLines("/proc/net/route").Skip(1))
        {
            var f = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (f.Length < 8 || f[0] != link.Name)
                continue;
            uint mask = Swap(f[7]);
            routes.Add((Swap(f[1]), mask, System.Numerics.BitOperations.PopCount(mask), Swap(f[2])));
        }

        _routes = routes;
    }

    private static uint Swap(string hex) =>
        System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    /// <summary>One host's Ethernet address, when it was last heard, last sent to and last asked (Environment.TickCount64).</summary>
    private sealed class Neighbour(byte[] mac, long heardAt)
    {
        public byte[] Mac { get; } = mac;
        public long HeardAt { get; set; } = heardAt;
        public long UsedAt { get; set; }
        public long ProbedAt { get; set; }
    }
}
