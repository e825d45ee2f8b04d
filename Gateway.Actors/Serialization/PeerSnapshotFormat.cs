using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Snapshots;

namespace VpnMasq.Actors.Serialization;

/// <summary>Layout of a <see cref="PeerSnapshot"/>: its fields in declaration order, each row list count-prefixed.</summary>
internal static class PeerSnapshotFormat
{
    public static void Write(PayloadWriter w, PeerSnapshot s) =>
        w.UInt32(s.Remote).Ticks(s.LastActivity)
            .List(s.Ports, Write).List(s.Icmp, Write).List(s.Isakmp, Write).UInt32(s.IsakmpLatestSpeaker)
            .List(s.Esp, Write).List(s.EspWaiting, Write).List(s.EspLastRekey, Write).UInt32(s.EspTurnEndedHost)
            .List(s.Calls, Write).UInt16(s.PortCursor).UInt16(s.IcmpCursor);

    public static PeerSnapshot Read(PayloadReader r) =>
        new(r.UInt32(), r.Ticks(),
            r.List(ReadPortRow), r.List(ReadIcmpRow), r.List(ReadIsakmpRow), r.UInt32(),
            r.List(ReadEspRow), r.List(ReadEspWaiter), r.List(ReadEspRekey), r.UInt32(),
            r.List(ReadPptpRow), r.UInt16(), r.UInt16());

    private static void Write(PayloadWriter w, PortRow p) =>
        w.Byte(p.Protocol).UInt32(p.Inside).UInt16(p.InsidePort).UInt16(p.RemotePort).UInt16(p.PublicPort).Bool(p.ViaForward)
            .Enum(p.State).Bool(p.FinFromInside).Bool(p.FinFromRemote).Ticks(p.LastSeen);

    private static PortRow ReadPortRow(PayloadReader r) =>
        new(r.Byte(), r.UInt32(), r.UInt16(), r.UInt16(), r.UInt16(), r.Bool(),
            r.Enum<TcpMappingState>(), r.Bool(), r.Bool(), r.Ticks());

    private static void Write(PayloadWriter w, IcmpRow i) => w.UInt32(i.Inside).UInt16(i.InsideId).UInt16(i.PublicId).Ticks(i.LastSeen);

    private static IcmpRow ReadIcmpRow(PayloadReader r) => new(r.UInt32(), r.UInt16(), r.UInt16(), r.Ticks());

    private static void Write(PayloadWriter w, IsakmpRow i) =>
        w.UInt32(i.Inside).UInt64(i.InitiatorCookie).UInt64(i.ResponderCookie).Ticks(i.Started).Ticks(i.LastSeen);

    private static IsakmpRow ReadIsakmpRow(PayloadReader r) => new(r.UInt32(), r.UInt64(), r.UInt64(), r.Ticks(), r.Ticks());

    private static void Write(PayloadWriter w, EspRow e) =>
        w.UInt32(e.Inside).UInt32(e.OutboundSpi).UInt32(e.InboundSpi).Ticks(e.Created).Ticks(e.LastSeen)
            .Bool(e.Collided).Int32(e.RetriesSinceCollision).Bool(e.Announced).Bool(e.Outstanding);

    private static EspRow ReadEspRow(PayloadReader r) =>
        new(r.UInt32(), r.UInt32(), r.UInt32(), r.Ticks(), r.Ticks(), r.Bool(), r.Int32(), r.Bool(), r.Bool());

    private static void Write(PayloadWriter w, EspWaiter e) => w.UInt32(e.Inside).Ticks(e.Since);

    private static EspWaiter ReadEspWaiter(PayloadReader r) => new(r.UInt32(), r.Ticks());

    private static void Write(PayloadWriter w, EspRekey e) => w.UInt32(e.Inside).Ticks(e.At);

    private static EspRekey ReadEspRekey(PayloadReader r) => new(r.UInt32(), r.Ticks());

    private static void Write(PayloadWriter w, PptpRow p) =>
        w.UInt32(p.Inside).UInt16(p.InsidePort).UInt16(p.CallId).UInt16(p.MasqueradedCallId).UInt16(p.PeerCallId).Ticks(p.LastSeen)
            .Bool(p.PeerCallIdKnown);

    private static PptpRow ReadPptpRow(PayloadReader r) => new(r.UInt32(), r.UInt16(), r.UInt16(), r.UInt16(), r.UInt16(), r.Ticks(), r.Bool());
}
