using VpnMasq.Protocols.Masquerade.Snapshots;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Protocols.Masquerade.Ports;

/// <summary>
/// The TCP/UDP mappings towards one remote peer, indexed both ways. A public port is free when no
/// mapping uses it towards the same remote port, so the same public port serves many remotes.
/// </summary>
public sealed class PortTable
{
    private readonly Dictionary<(byte Protocol, uint Inside, ushort InsidePort, ushort RemotePort), PortMapping> _outbound = [];
    private readonly Dictionary<(byte Protocol, ushort PublicPort, ushort RemotePort), PortMapping> _inbound = [];
    /// <summary>
    /// The public port the last search picked (0: none yet); the next search starts after it. Set by
    /// the event, not by the search, so replaying a journal continues the search where the live peer would.
    /// </summary>
    public ushort Cursor { get; set; }

    public int Count => _inbound.Count;
    public IEnumerable<PortMapping> Mappings => _inbound.Values;

    public PortMapping? FindOutbound(byte protocol, uint inside, ushort insidePort, ushort remotePort) =>
        _outbound.GetValueOrDefault((protocol, inside, insidePort, remotePort));

    public PortMapping? FindInbound(byte protocol, ushort publicPort, ushort remotePort) =>
        _inbound.GetValueOrDefault((protocol, publicPort, remotePort));

    public bool IsFree(byte protocol, ushort publicPort, ushort remotePort) => !_inbound.ContainsKey((protocol, publicPort, remotePort));

    /// <summary>Free, or held by a mapping the decision in progress has already removed.</summary>
    private bool IsFree(byte protocol, ushort publicPort, ushort remotePort, IReadOnlyList<PortUnmapped>? freed) =>
        IsFree(protocol, publicPort, remotePort) || WasFreed(freed, protocol, publicPort, remotePort);

    /// <summary>Whether <paramref name="freed"/> removes the mapping of (protocol, public port, remote port).</summary>
    public static bool WasFreed(IReadOnlyList<PortUnmapped>? freed, byte protocol, ushort publicPort, ushort remotePort)
    {
        foreach (var gone in freed ?? [])
        {
            if (gone.Protocol == protocol && gone.PublicPort == publicPort && gone.RemotePort == remotePort)
                return true;
        }

        return false;
    }

    /// <summary>
    /// Picks a public port: the inside port itself when free towards that remote port and not
    /// reserved, otherwise the next free one in the configured range. 0 when the range is exhausted.
    /// <paramref name="freed"/> are mappings the decision in progress removed (expired, evicted): their ports count as free.
    /// </summary>
    public ushort ChoosePublicPort(byte protocol, ushort insidePort, ushort remotePort, PortOptions options, Func<ushort, bool> reserved,
        IReadOnlyList<PortUnmapped>? freed = null)
    {
        if (insidePort != 0 && IsFree(protocol, insidePort, remotePort, freed) && !reserved(insidePort))
            return insidePort;
        int size = options.LastPort - options.FirstPort + 1;
        int start = Cursor >= options.FirstPort && Cursor <= options.LastPort ? Cursor - options.FirstPort + 1 : 0;
        for (int i = 0; i < size; i++)
        {
            ushort candidate = (ushort)(options.FirstPort + ((start + i) % size));
            if (IsFree(protocol, candidate, remotePort, freed) && !reserved(candidate))
                return candidate;
        }

        return 0;
    }

    /// <summary>The mappings as snapshot rows, in a fixed order.</summary>
    public List<PortRow> Rows() => Mappings
        .Select(m => new PortRow(m.Protocol, m.Inside, m.InsidePort, m.RemotePort, m.PublicPort, m.ViaForward,
            m.State, m.FinFromInside, m.FinFromRemote, m.LastSeen))
        .OrderBy(r => r.Protocol).ThenBy(r => r.PublicPort).ThenBy(r => r.RemotePort).ToList();

    /// <summary>Puts back a snapshot's mappings and search cursor.</summary>
    public void Restore(IEnumerable<PortRow> rows, ushort cursor)
    {
        Cursor = cursor;
        foreach (var r in rows)
        {
            Restore(new PortMapping
            {
                Protocol = r.Protocol, Inside = r.Inside, InsidePort = r.InsidePort, RemotePort = r.RemotePort,
                PublicPort = r.PublicPort, ViaForward = r.ViaForward, State = r.State,
                FinFromInside = r.FinFromInside, FinFromRemote = r.FinFromRemote, LastSeen = r.LastSeen,
            });
        }
    }

    /// <summary>Puts back a mapping from a snapshot.</summary>
    public void Restore(PortMapping mapping)
    {
        _outbound[(mapping.Protocol, mapping.Inside, mapping.InsidePort, mapping.RemotePort)] = mapping;
        _inbound[(mapping.Protocol, mapping.PublicPort, mapping.RemotePort)] = mapping;
    }

    /// <summary>The mapping an event creates: what the table holds once it is applied, and what the deciding rule goes on with.</summary>
    public static PortMapping Create(PortMapped e) => new()
    {
        Protocol = e.Protocol,
        Inside = e.Inside,
        InsidePort = e.InsidePort,
        RemotePort = e.RemotePort,
        PublicPort = e.PublicPort,
        ViaForward = e.ViaForward,
        State = TcpMappingState.Opening,
        LastSeen = e.At,
    };

    public void Apply(PortMapped e)
    {
        // A port other than the inside one came from the search: the next search starts after it.
        if (!e.ViaForward && e.PublicPort != e.InsidePort)
            Cursor = e.PublicPort;
        var mapping = Create(e);
        _outbound[(e.Protocol, e.Inside, e.InsidePort, e.RemotePort)] = mapping;
        _inbound[(e.Protocol, e.PublicPort, e.RemotePort)] = mapping;
    }

    public void Apply(TcpStateChanged e)
    {
        if (FindInbound(IpProtocol.Tcp, e.PublicPort, e.RemotePort) is { } mapping)
        {
            mapping.State = e.State;
            mapping.FinFromInside = e.FinFromInside;
            mapping.FinFromRemote = e.FinFromRemote;
            mapping.LastSeen = e.At;
        }
    }

    public void Apply(PortUnmapped e)
    {
        if (_inbound.Remove((e.Protocol, e.PublicPort, e.RemotePort), out var mapping))
            _outbound.Remove((mapping.Protocol, mapping.Inside, mapping.InsidePort, mapping.RemotePort));
    }
}
