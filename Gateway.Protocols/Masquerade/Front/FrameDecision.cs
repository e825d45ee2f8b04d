using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade.Firewall;

namespace VpnMasq.Protocols.Masquerade.Front;

/// <summary>
/// The firewall around a peer's decision (DESIGN §3.1, §3.6), in ipchains' order. Outbound: input, forward, then
/// masquerade and output. Inbound to the public address: input, demasquerade, output (a demasqueraded reply skips
/// the forward chain, as in Linux 2.2). Inbound to anything else: input, forward, output — and only a routed
/// (registered) inside address may be reached that way at all.
/// The chains see the frame before any protocol parsing is judged, so a denied frame is rule-deny, never malformed.
/// </summary>
internal sealed class FrameDecision(FirewallRules firewall)
{
    /// <summary>
    /// A verdict reached before any peer state is consulted, or null to go on. <paramref name="route"/> is set when
    /// the frame is to be routed unchanged (a registered address, either way); the caller still does what a router does.
    /// </summary>
    public Verdict? Before(byte[] frame, in Dissection d, Direction direction, uint peer, MasqueradeSettings settings, out bool route)
    {
        route = false;
        var label = ProtocolLabels.Of(d);
        var packet = PacketSummary.Of(d);
        if (direction == Direction.Outbound)
        {
            var decision = firewall.CheckOutboundBeforeMasquerade(packet);
            if (!decision.Passes)
                return Verdict.Drop(decision.DropReason, label, peer, d.Source);
            if (!d.IsOk)
                return Verdict.Drop(DropReason.Malformed, label, peer, d.Source);
            if (settings.Options.IsInside(d.Destination))
                return Verdict.Drop(DropReason.NoMapping, label, peer, d.Source);

            // ACCEPT in the forward chain: route without masquerade (a registered-IP host, HOWTO §3.10).
            route = decision.Action == FirewallAction.Accept;
            return route ? After(frame, d, Verdict.Send(label, peer, d.Source, Side.Outside)) : null;
        }

        var input = firewall.CheckInboundBeforeDemasquerade(packet);
        if (!input.Passes)
            return Verdict.Drop(input.DropReason, label, peer);
        if (d.Destination == settings.PublicAddress)
            return d.IsOk ? null : Verdict.Drop(DropReason.Malformed, label, peer);
        if (d.Destination == settings.PreviousPublicAddress && d.Destination != 0)
            return Verdict.Drop(DropReason.AddressChanged, label, peer);

        // Not for the public address: nothing reaches an inside host this way unless the operator listed it as routed
        // (HOWTO §3.9) and the forward chain accepts it. MASQ there is for inside sources; it accepts nothing inbound.
        if (!settings.Options.IsRouted(d.Destination))
            return Verdict.Drop(DropReason.NoMapping, label, peer);
        var forward = firewall.Decide(FirewallChain.Forward, InterfaceSide.Inside, packet);
        if (forward.Action != FirewallAction.Accept)
            return Verdict.Drop(forward.Action == FirewallAction.Reject ? DropReason.RuleReject : DropReason.RuleDeny, label, peer);
        if (!d.IsOk)
            return Verdict.Drop(DropReason.Malformed, label, peer);
        route = true;
        return After(frame, d, Verdict.Send(label, peer, d.Destination, Side.Inside));
    }

    /// <summary>The output chain on the frame as it will be sent.</summary>
    public Verdict After(byte[] frame, in Dissection before, Verdict verdict)
    {
        if (ReferenceEquals(firewall, FirewallRules.MasqueradeEverything) || !verdict.SendInput)
            return verdict;
        // Translation rewrote addresses and ports in place and nothing else: read them back where the dissection found them.
        var packet = PacketSummary.AsSent(frame, before);
        var decision = verdict.Side == Side.Outside
            ? firewall.CheckOutboundAfterMasquerade(packet)
            : firewall.CheckInboundAfterDemasquerade(packet);
        return decision.Passes ? verdict : Verdict.Drop(decision.DropReason, verdict.Protocol, verdict.Peer, verdict.Inside);
    }
}
