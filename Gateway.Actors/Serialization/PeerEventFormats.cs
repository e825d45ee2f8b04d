using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Actors.Serialization;

/// <summary>
/// Layouts of the journaled <see cref="PeerEvent"/>s: <see cref="PeerEvent.At"/> first, then the fields in
/// declaration order. Journal rows outlive code, so a layout only ever changes behind a version bump.
/// </summary>
internal static class PeerEventFormats
{
    public static void Write(PayloadWriter w, PortMapped e) =>
        w.Ticks(e.At).Byte(e.Protocol).UInt32(e.Inside).UInt16(e.InsidePort).UInt16(e.RemotePort).UInt16(e.PublicPort).Bool(e.ViaForward);

    public static PortMapped ReadPortMapped(PayloadReader r) =>
        new(r.Ticks(), r.Byte(), r.UInt32(), r.UInt16(), r.UInt16(), r.UInt16(), r.Bool());

    public static void Write(PayloadWriter w, TcpStateChanged e) =>
        w.Ticks(e.At).UInt16(e.PublicPort).UInt16(e.RemotePort).Enum(e.State).Bool(e.FinFromInside).Bool(e.FinFromRemote);

    public static TcpStateChanged ReadTcpStateChanged(PayloadReader r) =>
        new(r.Ticks(), r.UInt16(), r.UInt16(), r.Enum<TcpMappingState>(), r.Bool(), r.Bool());

    public static void Write(PayloadWriter w, PortUnmapped e) =>
        w.Ticks(e.At).Byte(e.Protocol).UInt16(e.PublicPort).UInt16(e.RemotePort).Enum(e.Cause);

    public static PortUnmapped ReadPortUnmapped(PayloadReader r) =>
        new(r.Ticks(), r.Byte(), r.UInt16(), r.UInt16(), r.Enum<RemovalCause>());

    public static void Write(PayloadWriter w, IcmpMapped e) =>
        w.Ticks(e.At).UInt32(e.Inside).UInt16(e.InsideId).UInt16(e.PublicId);

    public static IcmpMapped ReadIcmpMapped(PayloadReader r) =>
        new(r.Ticks(), r.UInt32(), r.UInt16(), r.UInt16());

    public static void Write(PayloadWriter w, IcmpUnmapped e) =>
        w.Ticks(e.At).UInt16(e.PublicId).Enum(e.Cause);

    public static IcmpUnmapped ReadIcmpUnmapped(PayloadReader r) =>
        new(r.Ticks(), r.UInt16(), r.Enum<RemovalCause>());

    public static void Write(PayloadWriter w, EspInitStarted e) => w.Ticks(e.At).UInt32(e.Inside).UInt32(e.OutboundSpi);

    public static EspInitStarted ReadEspInitStarted(PayloadReader r) => new(r.Ticks(), r.UInt32(), r.UInt32());

    public static void Write(PayloadWriter w, EspInitBlocked e) => w.Ticks(e.At).UInt32(e.Inside).UInt32(e.OutboundSpi);

    public static EspInitBlocked ReadEspInitBlocked(PayloadReader r) => new(r.Ticks(), r.UInt32(), r.UInt32());

    public static void Write(PayloadWriter w, EspInitRetried e) => w.Ticks(e.At).UInt32(e.Inside).UInt32(e.OutboundSpi);

    public static EspInitRetried ReadEspInitRetried(PayloadReader r) => new(r.Ticks(), r.UInt32(), r.UInt32());

    public static void Write(PayloadWriter w, EspSpiAssociated e) =>
        w.Ticks(e.At).UInt32(e.Inside).UInt32(e.OutboundSpi).UInt32(e.InboundSpi).Bool(e.Announced);

    public static EspSpiAssociated ReadEspSpiAssociated(PayloadReader r) =>
        new(r.Ticks(), r.UInt32(), r.UInt32(), r.UInt32(), r.Bool());

    public static void Write(PayloadWriter w, EspEntryRemoved e) =>
        w.Ticks(e.At).UInt32(e.Inside).UInt32(e.OutboundSpi).Enum(e.Cause);

    public static EspEntryRemoved ReadEspEntryRemoved(PayloadReader r) =>
        new(r.Ticks(), r.UInt32(), r.UInt32(), r.Enum<RemovalCause>());

    public static void Write(PayloadWriter w, IsakmpExchangeStarted e) => w.Ticks(e.At).UInt32(e.Inside).UInt64(e.InitiatorCookie);

    public static IsakmpExchangeStarted ReadIsakmpExchangeStarted(PayloadReader r) => new(r.Ticks(), r.UInt32(), r.UInt64());

    public static void Write(PayloadWriter w, IsakmpResponderLearned e) =>
        w.Ticks(e.At).UInt64(e.InitiatorCookie).UInt64(e.ResponderCookie);

    public static IsakmpResponderLearned ReadIsakmpResponderLearned(PayloadReader r) => new(r.Ticks(), r.UInt64(), r.UInt64());

    public static void Write(PayloadWriter w, IsakmpSpeakerChanged e) => w.Ticks(e.At).UInt32(e.Inside);

    public static IsakmpSpeakerChanged ReadIsakmpSpeakerChanged(PayloadReader r) => new(r.Ticks(), r.UInt32());

    public static void Write(PayloadWriter w, IsakmpExchangeRemoved e) =>
        w.Ticks(e.At).UInt64(e.InitiatorCookie).Enum(e.Cause).UInt32(e.Inside);

    public static IsakmpExchangeRemoved ReadIsakmpExchangeRemoved(PayloadReader r) =>
        new(r.Ticks(), r.UInt64(), r.Enum<RemovalCause>(), r.UInt32());

    public static void Write(PayloadWriter w, PptpCallMapped e) =>
        w.Ticks(e.At).UInt32(e.Inside).UInt16(e.InsidePort).UInt16(e.CallId).UInt16(e.MasqueradedCallId);

    public static PptpCallMapped ReadPptpCallMapped(PayloadReader r) =>
        new(r.Ticks(), r.UInt32(), r.UInt16(), r.UInt16(), r.UInt16());

    public static void Write(PayloadWriter w, PptpPeerCallIdLearned e) =>
        w.Ticks(e.At).UInt16(e.MasqueradedCallId).UInt16(e.PeerCallId);

    public static PptpPeerCallIdLearned ReadPptpPeerCallIdLearned(PayloadReader r) => new(r.Ticks(), r.UInt16(), r.UInt16());

    public static void Write(PayloadWriter w, PptpCallUnmapped e) => w.Ticks(e.At).UInt16(e.MasqueradedCallId).Enum(e.Cause);

    public static PptpCallUnmapped ReadPptpCallUnmapped(PayloadReader r) => new(r.Ticks(), r.UInt16(), r.Enum<RemovalCause>());
}
