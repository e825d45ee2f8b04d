using System.Collections.Concurrent;
using System.Globalization;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Node.Live;

/// <summary>
/// Next hops and their Ethernet addresses on one link: routes from /proc/net/route, addresses from
/// ARP traffic the capture sees and from the kernel's neighbour table (/proc/net/arp), both kept
/// fresh, so a next hop whose MAC changes is followed. Lookups never touch the file system: the
/// link's timer calls <see cref="Refresh"/>, so no captured frame waits for /proc.
/// </summary>
internal sealed class Neighbours(LinkInfo link)
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RefreshWhileResolving = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentDictionary<uint, byte[]> _macs = new();
    private volatile List<(uint Destination, uint Mask, uint Gateway)> _routes = [];
    private DateTime _refreshedAt = DateTime.MinValue;

    public void Learn(uint address, ReadOnlySpan<byte> mac)
    {
        if (address != 0 && mac.Length == 6 && !mac.SequenceEqual(link.Mac))
            _macs[address] = mac.ToArray();
    }

    /// <summary>The next hop towards <paramref name="destination"/> on this link: itself when on-link, else the route's gateway.</summary>
    public uint NextHop(uint destination)
    {
        if (link.OnLink(destination))
            return destination;
        uint bestGateway = 0;
        int bestLength = -1;
        foreach (var (dest, mask, gateway) in _routes)
        {
            int length = System.Numerics.BitOperations.PopCount(mask);
            if ((destination & mask) == dest && length > bestLength)
                (bestGateway, bestLength) = (gateway == 0 ? destination : gateway, length);
        }

        return bestLength < 0 ? destination : bestGateway;
    }

    public bool TryGetMac(uint address, out byte[] mac) => _macs.TryGetValue(address, out mac!);

    /// <summary>Re-reads the kernel's routes and neighbours when due: every 2 s, or every 100 ms while a next hop is being resolved.</summary>
    public void Refresh(bool resolving)
    {
        if (DateTime.UtcNow - _refreshedAt < (resolving ? RefreshWhileResolving : RefreshEvery))
            return;
        _refreshedAt = DateTime.UtcNow;
        ReadArpTable();
        ReadRoutes();
    }

    private void ReadArpTable()
    {
        // IP address  HW type  Flags  HW address  Mask  Device; flag 0x2 = complete (ATF_COM), also set on permanent (0x6) entries.
        foreach (var line in File.ReadLines("/proc/net/arp").Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || f[5] != link.Name || !IsComplete(f[2]) || !Ipv4Address.TryParse(f[0], out uint ip))
                continue;
            var mac = Convert.FromHexString(f[3].Replace(":", "", StringComparison.Ordinal));
            Learn(ip, mac);
        }
    }

    private static bool IsComplete(string flags) =>
        flags.StartsWith("0x", StringComparison.Ordinal) &&
        int.TryParse(flags.AsSpan(2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out int value) &&
        (value & 0x2) != 0;

    private void ReadRoutes()
    {
        // Iface Destination Gateway Flags RefCnt Use Metric Mask …, addresses in host byte order (little-endian hex).
        var routes = new List<(uint, uint, uint)>();
        foreach (var line in File.ReadLines("/proc/net/route").Skip(1))
        {
            var f = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (f.Length < 8 || f[0] != link.Name)
                continue;
            routes.Add((Swap(f[1]), Swap(f[7]), Swap(f[2])));
        }

        _routes = routes;
    }

    private static uint Swap(string hex) =>
        System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}
