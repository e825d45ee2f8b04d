using VpnMasq.Actors.Flows;
using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Actors.Serialization;

/// <summary>Layouts of the replicated flow table's value and the owner's publish message.</summary>
internal static class FlowFormats
{
    public static void Write(PayloadWriter w, PeerFlows m) => w.List(m.Flows, Write);

    public static PeerFlows ReadPeerFlows(PayloadReader r) => new(r.List(ReadEstablishedFlow));

    public static void Write(PayloadWriter w, PublishFlows m) => w.UInt32(m.Peer).List(m.Flows, Write);

    public static PublishFlows ReadPublishFlows(PayloadReader r) => new(r.UInt32(), r.List(ReadEstablishedFlow));

    public static void Write(PayloadWriter w, EstablishedFlow f) =>
        w.Enum(f.Kind).UInt32(f.Inside).Byte(f.Protocol).UInt16(f.InsideKey).UInt16(f.RemoteKey).UInt16(f.PublicKey)
            .UInt64(f.OutboundKey).UInt64(f.InboundKey).Bool(f.OutboundCached);

    public static EstablishedFlow ReadEstablishedFlow(PayloadReader r) =>
        new(r.Enum<FlowKind>(), r.UInt32(), r.Byte(), r.UInt16(), r.UInt16(), r.UInt16(), r.UInt64(), r.UInt64(), r.Bool());
}
