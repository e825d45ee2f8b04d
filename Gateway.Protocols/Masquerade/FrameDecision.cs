using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade.Firewall;

namespace VpnMasq.Protocols.Masquerade;

/// <summary>
/// The firewall around a peer's decision (DESIGN §3.6): chains before masquerade decide whether
/// the peer sees the frame at all, the output chain sees it as it will leave.
/// </summary>
internal sealed class FrameDecision(MasqueradeSettings settings, FirewallRules firewall)
{
    /// <summary>A verdict reached before any peer state is consulted, or null to go on.</summary>
    public Verdict? Before(byte[] frame, in Dissection d, Direction direction, uint peer)
    {
        var label = MasqueradeGateway.LabelOf(d);
        var packet = Summary(d);
        if (direction == Direction.Outbound)
        {
            if (settings.Options.IsInside(d.Destination))
                return Verdict.Drop(DropReason.NoMapping, label, peer, d.Source);
            var decision = firewall.CheckOutboundBeforeMasquerade(packet);
            if (!decision.Passes)
                return Verdict.Drop(decision.DropReason, label, peer, d.Source);

            // ACCEPT in the forward chain: route without masquerade (a registered-IP host, HOWTO §3.10).
            if (decision.Action == FirewallAction.Accept)
                return After(frame, d, Verdict.Send(label, peer, d.Source, Side.Outside));
            return null;
        }

        var inbound = firewall.CheckInboundBeforeDemasquerade(packet);
        if (!inbound.Passes)
            return Verdict.Drop(inbound.DropReason, label, peer);
        if (d.Destination != settings.PublicAddress)
        {
            // Not for the public address: only a registered-IP inside host may be reached as it is (HOWTO §3.9).
            if (!settings.Options.IsInside(d.Destination))
                return Verdict.Drop(DropReason.NoMapping, label, peer);
            return After(frame, d, Verdict.Send(label, peer, d.Destination, Side.Inside));
        }

        return null;
    }

    /// <summary>The output chain on the frame as it will be sent.</summary>
    public Verdict After(byte[] frame, in Dissection before, Verdict verdict)
    {
        if (ReferenceEquals(firewall, FirewallRules.MasqueradeEverything) || !verdict.SendInput)
            return verdict;
        var after = FrameDissector.Dissect(Link.LinkType.Ethernet, frame);
        if (!after.IsOk)
            return verdict;
        var packet = Summary(after);
        var decision = verdict.Side == Side.Outside
            ? firewall.CheckOutboundAfterMasquerade(packet)
            : firewall.CheckInboundAfterDemasquerade(packet);
        return decision.Passes ? verdict : Verdict.Drop(decision.DropReason, verdict.Protocol, verdict.Peer, verdict.Inside);
    }

    private static PacketSummary Summary(in Dissection d) =>
        new(d.Protocol, d.Source, d.Destination, d.SourcePort, d.DestinationPort, (byte)d.IcmpType);
}
