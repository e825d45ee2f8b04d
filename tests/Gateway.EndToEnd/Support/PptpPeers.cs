namespace VpnMasq.EndToEnd.Support;

/// <summary>
/// pptpd servers and pptp-linux clients (scripts/pptp/pptp.sh) in a topology's namespaces. Disposing
/// stops clients first (their stand-ins then end the calls cleanly), then servers, and removes the
/// state directory (configs and logs), which topo_down leaves behind.
/// </summary>
internal sealed class PptpPeers : IDisposable
{
    private readonly Topology _topology;
    private readonly List<string> _servers = [];
    private readonly List<string> _clients = [];

    public PptpPeers(Topology topology) => _topology = topology;

    public static string StateDirectory(Topology topology) => Path.Combine("/tmp/vpnmasq-pptp", topology.Prefix);

    /// <summary>pptpd in <paramref name="ns"/>, listening on TCP 1723, handing out <paramref name="range"/>.</summary>
    public void ServerUp(string ns, string localAddress, string range)
    {
        lock (_servers)
            _servers.Add(ns);
        Shell.Run($"pptp_server_up {_topology.Prefix} {ns} {localAddress} {range}");
    }

    /// <summary>One session from <paramref name="ns"/> to <paramref name="server"/>; the client's tunnel address once IPCP is up.</summary>
    /// <param name="callId">
    /// The Call ID the client sends in its Outgoing-Call-Request. pptp-linux 1.10 has no option for it:
    /// it reads the ID as 2 bytes from /dev/random (one read per call, host byte order). pptp.sh binds
    /// /dev/random into the client's private /dev from the mount namespace it is called in, so the
    /// client is started from a private mount namespace whose /dev/random is a file holding the ID.
    /// </param>
    public string ClientUp(string ns, string server, string name, ushort? callId = null)
    {
        lock (_clients)
            _clients.Add(ns);
        string up = $"pptp_client_up {_topology.Prefix} {ns} {server} {name}";
        if (callId is { } id)
        {
            string random = Path.Combine(StateDirectory(_topology), $"random-{name}");
            Directory.CreateDirectory(StateDirectory(_topology));
            File.WriteAllBytes(random, BitConverter.GetBytes(id)); // host order on purpose: pptp reads it into a u_int16_t
            up = $"unshare --mount --propagation private bash -c 'set -euo pipefail; source scripts/pptp/pptp.sh; mount --bind {random} /dev/random; {up}'";
        }

        return Shell.Run(up, TimeSpan.FromSeconds(60)).Trim();
    }

    /// <summary>All logs of the pptp daemons (for failure messages).</summary>
    public string Logs()
    {
        var namespaces = _clients.Concat(_servers).Distinct().Select(ns => $"pptp_dump_logs {_topology.Prefix} {ns}");
        return Shell.Try(string.Join("\n", namespaces) + "\ntrue").Error;
    }

    public void Dispose()
    {
        foreach (string ns in _clients.Distinct().Concat(_servers.Distinct()))
            Shell.Try($"pptp_stop {_topology.Prefix} {ns}");
        Shell.Try($"rm -rf {StateDirectory(_topology)}");
    }
}
