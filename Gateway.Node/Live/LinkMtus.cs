using System.Globalization;
using Microsoft.Extensions.Logging;
using VpnMasq.Node.Logs;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Live;

/// <summary>
/// Each link's MTU, read from the interface rather than configured, and followed while the node runs: a PPP link
/// renegotiates its MTU, and the front must fragment (or answer Fragmentation Needed) to what the link takes now.
/// Polled, like the public address: a change shows within a tick, and one read of /sys per link costs nothing.
/// </summary>
internal sealed class LinkMtus(LiveSettings settings, string inside, string outside, ILogger log)
{
    private int _inside;
    private int _outside;

    /// <summary>Reads both links' MTUs into the settings; logs each one that changed since the last read.</summary>
    public void Follow()
    {
        Follow(Side.Inside, inside);
        Follow(Side.Outside, outside);
    }

    private void Follow(Side side, string link)
    {
        int mtu = Read(link);
        ref int known = ref side == Side.Inside ? ref _inside : ref _outside;
        int before = known;
        if (mtu == before)
            return;
        known = mtu;
        settings.Update(s => s.WithLinkMtu(side, mtu));
        if (before != 0) // the first read is the start, which the startup line reports
            log.Info($"vpnmasqd: {(side == Side.Inside ? "inside" : "outside")} link {link} MTU {before} -> {mtu}");
    }

    public static int Read(string link) =>
        int.Parse(File.ReadAllText($"/sys/class/net/{link}/mtu").Trim(), CultureInfo.InvariantCulture);
}
