using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Protocols.Masquerade.Snapshots;

/// <summary>
/// One peer's whole table at a moment, including what events alone do not carry (last-seen times,
/// TCP FIN flags, the ESP turn queue, where the next public port search starts). Restoring it and replaying later events gives the exact table
/// a live peer had; it is also the canonical form tests compare tables by. Rows are sorted, so two
/// equal tables give equal snapshots.
/// </summary>
public sealed record PeerSnapshot(
    uint Remote,
    TimeSpan LastActivity,
    IReadOnlyList<PortRow> Ports,
    IReadOnlyList<IcmpRow> Icmp,
    IReadOnlyList<IsakmpRow> Isakmp,
    uint IsakmpLatestSpeaker,
    IReadOnlyList<EspRow> Esp,
    IReadOnlyList<EspWaiter> EspWaiting,
    IReadOnlyList<EspRekey> EspLastRekey,
    uint EspTurnEndedHost,
    IReadOnlyList<PptpRow> Calls,
    ushort PortCursor = 0,
    ushort IcmpCursor = 0)
{
    public bool Equals(PeerSnapshot? other) =>
        other is not null && Remote == other.Remote && LastActivity == other.LastActivity
        && Ports.SequenceEqual(other.Ports) && Icmp.SequenceEqual(other.Icmp) && Isakmp.SequenceEqual(other.Isakmp)
        && IsakmpLatestSpeaker == other.IsakmpLatestSpeaker && Esp.SequenceEqual(other.Esp)
        && EspWaiting.SequenceEqual(other.EspWaiting) && EspLastRekey.SequenceEqual(other.EspLastRekey)
        && EspTurnEndedHost == other.EspTurnEndedHost && Calls.SequenceEqual(other.Calls)
        && PortCursor == other.PortCursor && IcmpCursor == other.IcmpCursor;

    public override int GetHashCode() => HashCode.Combine(Remote, Ports.Count, Esp.Count, Isakmp.Count, Calls.Count);

    public int EntryCount => Ports.Count + Icmp.Count + Isakmp.Count + Esp.Count + Calls.Count;
}

public sealed record PortRow(
    byte Protocol, uint Inside, ushort InsidePort, ushort RemotePort, ushort PublicPort, bool ViaForward,
    TcpMappingState State, bool FinFromInside, bool FinFromRemote, TimeSpan LastSeen);

public sealed record IcmpRow(uint Inside, ushort InsideId, ushort PublicId, TimeSpan LastSeen);

public sealed record IsakmpRow(uint Inside, ulong InitiatorCookie, ulong ResponderCookie, TimeSpan Started, TimeSpan LastSeen);

/// <summary>An ESP entry; <see cref="InboundSpi"/> 0 with <see cref="Outstanding"/> set is the one awaiting its reply.</summary>
public sealed record EspRow(
    uint Inside, uint OutboundSpi, uint InboundSpi, TimeSpan Created, TimeSpan LastSeen,
    bool Collided, int RetriesSinceCollision, bool Announced, bool Outstanding);

public sealed record EspWaiter(uint Inside, TimeSpan Since);

public sealed record EspRekey(uint Inside, TimeSpan At);

public sealed record PptpRow(
    uint Inside, ushort InsidePort, ushort CallId, ushort MasqueradedCallId, ushort PeerCallId, TimeSpan LastSeen, bool PeerCallIdKnown = false);
