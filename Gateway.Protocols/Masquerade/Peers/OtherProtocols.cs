using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Protocols.Masquerade.Peers;

/// <summary>Protocols no table maps: AH, and anything else. Only a protocol forward lets them in.</summary>
internal static class OtherProtocols
{
    public static Verdict Outbound(PeerDecisionBuilder b, in Dissection d)
    {
        if (d.Kind == FrameKind.Ah)
            return b.Drop(DropReason.AhNotMasqueradable, ProtocolLabel.Ah, d.Source);
        if (d.Kind == FrameKind.Fragment)
            return b.Drop(DropReason.FragmentInvalid, ProtocolLabel.Other, d.Source);

        // No table holds a mapping for this protocol, so its replies could never come back: refused, and said so.
        return b.Drop(DropReason.UnsupportedProtocol, ProtocolLabel.Other, d.Source);
    }

    public static Verdict Inbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        if (d.Kind == FrameKind.Ah)
            return b.Drop(DropReason.AhNotMasqueradable, ProtocolLabel.Ah);
        if (b.Settings.FindProtocolForward(d.Protocol) is not { } forward)
            return b.Drop(DropReason.NoMapping, ProtocolLabel.Other);
        var verdict = FlowTranslation.Addresses(frame, d, Direction.Inbound, b.Remote, forward.TargetAddress, b.PublicAddress);
        return verdict with { Protocol = ProtocolLabel.Other };
    }
}
