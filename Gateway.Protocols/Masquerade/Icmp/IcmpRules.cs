using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Peers;

namespace VpnMasq.Protocols.Masquerade.Icmp;

/// <summary>ICMP queries are masqueraded by identifier; errors follow the mapping of the datagram they quote (<see cref="IcmpErrorRules"/>).</summary>
internal static class IcmpRules
{
    public static Verdict Outbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        if (IcmpTypes.IsError(d.IcmpType))
            return IcmpErrorRules.Outbound(b, frame, d);
        if (!IcmpTypes.IsQueryRequest(d.IcmpType))
            return b.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, d.Source);
        var table = b.Peer.Icmp;
        var mapping = table.FindOutbound(d.Source, d.IcmpIdentifier);
        if (mapping is not null && b.Now - mapping.LastSeen > b.Options.Ports.IcmpLifetime)
        {
            b.Emit(new IcmpUnmapped(b.Now, mapping.PublicId, RemovalCause.Expired));
            mapping = null;
        }

        if (mapping is null)
        {
            if (!Eviction.MakeRoom(b))
                return b.Drop(DropReason.TableFull, ProtocolLabel.Icmp, d.Source);
            if (table.ChoosePublicId(d.IcmpIdentifier, b.FreedIcmpIds) is not { } publicId)
                return b.Drop(DropReason.PortsExhausted, ProtocolLabel.Icmp, d.Source);
            var mapped = new IcmpMapped(b.Now, d.Source, d.IcmpIdentifier, publicId);
            b.Emit(mapped);
            mapping = IcmpTable.Create(mapped);
        }

        var flow = IcmpFlows.Of(mapping);
        b.Saw(flow);
        return IcmpFlows.Translate(frame, d, Direction.Outbound, b.Remote, flow, b.PublicAddress);
    }

    public static Verdict Inbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        if (IcmpTypes.IsError(d.IcmpType))
            return IcmpErrorRules.Inbound(b, frame, d);
        if (IcmpTypes.IsQueryRequest(d.IcmpType) || b.Peer.Icmp.FindInbound(d.IcmpIdentifier) is not { } mapping)
            return b.Drop(DropReason.NoMapping, ProtocolLabel.Icmp);
        var flow = IcmpFlows.Of(mapping);
        b.Saw(flow);
        return IcmpFlows.Translate(frame, d, Direction.Inbound, b.Remote, flow, b.PublicAddress);
    }

    public static void Sweep(PeerDecisionBuilder b)
    {
        foreach (var mapping in b.Peer.Icmp.Mappings)
        {
            if (b.Now - mapping.LastSeen > b.Options.Ports.IcmpLifetime)
                b.Emit(new IcmpUnmapped(b.Now, mapping.PublicId, RemovalCause.Expired));
        }
    }

    public static void CloseAll(PeerDecisionBuilder b, RemovalCause cause)
    {
        foreach (var mapping in b.Peer.Icmp.Mappings)
            b.Emit(new IcmpUnmapped(b.Now, mapping.PublicId, cause));
    }
}
