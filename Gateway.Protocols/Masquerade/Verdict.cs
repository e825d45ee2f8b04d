namespace VpnMasq.Protocols.Masquerade;

public enum VerdictAction : byte
{
    /// <summary>Send the frame(s): the input frame rewritten in place, and/or <see cref="Verdict.Extra"/>.</summary>
    Forward,
    Drop,

    /// <summary>Kept for reassembly (an IP fragment); nothing to send yet.</summary>
    Hold,
}

/// <summary>The side of the gateway a frame is sent out on.</summary>
public enum Side : byte
{
    Inside,
    Outside,
}

/// <summary>The protocol label of a decision, as events and counters name it (DESIGN §5.2).</summary>
public enum ProtocolLabel : byte
{
    Other,
    Esp,
    Isakmp,
    Gre,
    Pptp,
    Tcp,
    Udp,
    Icmp,
    Ah,
}

public static class ProtocolLabels
{
    /// <summary>The label of a frame by what it carries: PPTP is TCP to or from 1723, NAT-T ESP is ESP, IKE on 500/4500 is ISAKMP.</summary>
    public static ProtocolLabel Of(in Frames.Dissection d) => d.Protocol switch
    {
        Ipv4.IpProtocol.Esp => ProtocolLabel.Esp,
        Ipv4.IpProtocol.Ah => ProtocolLabel.Ah,
        Ipv4.IpProtocol.Gre => ProtocolLabel.Gre,
        Ipv4.IpProtocol.Icmp => ProtocolLabel.Icmp,
        Ipv4.IpProtocol.Tcp when d.SourcePort == 1723 || d.DestinationPort == 1723 => ProtocolLabel.Pptp,
        Ipv4.IpProtocol.Tcp => ProtocolLabel.Tcp,
        Ipv4.IpProtocol.Udp when d.Kind is Frames.FrameKind.NatTEsp => ProtocolLabel.Esp,
        Ipv4.IpProtocol.Udp when d.SourcePort is 4500 || d.DestinationPort is 4500 => ProtocolLabel.Isakmp,
        Ipv4.IpProtocol.Udp when d.SourcePort is 500 && d.DestinationPort is 500 => ProtocolLabel.Isakmp,
        Ipv4.IpProtocol.Udp => ProtocolLabel.Udp,
        _ => ProtocolLabel.Other,
    };

    /// <summary>The label as events, logs and counters name it (DESIGN §5.2): a constant, so naming a frame allocates nothing.</summary>
    public static string Code(this ProtocolLabel label) => label switch
    {
        ProtocolLabel.Esp => "esp",
        ProtocolLabel.Isakmp => "isakmp",
        ProtocolLabel.Gre => "gre",
        ProtocolLabel.Pptp => "pptp",
        ProtocolLabel.Tcp => "tcp",
        ProtocolLabel.Udp => "udp",
        ProtocolLabel.Icmp => "icmp",
        ProtocolLabel.Ah => "ah",
        _ => "other",
    };
}

/// <summary>A frame to send that is not the input frame rewritten in place (fan-out copies, fragments).</summary>
public readonly record struct OutputFrame(byte[] Frame, Side Side);

/// <summary>
/// What the gateway decided for one input frame. In the common case the input frame was rewritten
/// in place and is to be sent on <see cref="Side"/>; fan-out and fragmentation add <see cref="Extra"/> frames.
/// </summary>
public readonly record struct Verdict(
    VerdictAction Action,
    DropReason Reason,
    ProtocolLabel Protocol,
    uint Peer,
    uint Inside,
    Side Side,
    bool SendInput,
    IReadOnlyList<OutputFrame>? Extra = null)
{
    public static Verdict Drop(DropReason reason, ProtocolLabel protocol, uint peer, uint inside = 0) =>
        new(VerdictAction.Drop, reason, protocol, peer, inside, default, false);

    public static Verdict Send(ProtocolLabel protocol, uint peer, uint inside, Side side) =>
        new(VerdictAction.Forward, DropReason.None, protocol, peer, inside, side, true);

    public static Verdict Hold(ProtocolLabel protocol, uint peer) =>
        new(VerdictAction.Hold, DropReason.None, protocol, peer, 0, default, false);

    /// <summary>How many frames this verdict sends.</summary>
    public int FrameCount => (SendInput ? 1 : 0) + (Extra?.Count ?? 0);
}
