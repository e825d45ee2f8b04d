using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade.Esp;
using VpnMasq.Protocols.Masquerade.Icmp;
using VpnMasq.Protocols.Masquerade.Isakmp;
using VpnMasq.Protocols.Masquerade.Ports;
using VpnMasq.Protocols.Masquerade.Pptp;

namespace VpnMasq.Protocols.Masquerade.Flows;

/// <summary>
/// What a frame is looked up by in a <see cref="FlowIndex"/>: for outbound frames the inside host and
/// its own identifiers, for inbound frames only what the remote sends (SPI, cookies, public port).
/// Each protocol's <c>XxxFlows</c> says how its flows and its frames are keyed; this only dispatches.
/// </summary>
internal readonly record struct FlowLookup(FlowKind Kind, Direction Direction, uint Remote, uint Inside, ulong A, ulong B)
{
    public static FlowLookup Outbound(uint remote, in EstablishedFlow f) => f.Kind switch
    {
        FlowKind.Esp => EspFlows.OutboundKey(remote, f),
        FlowKind.Isakmp => IsakmpFlows.OutboundKey(remote, f),
        FlowKind.Port => PortFlows.OutboundKey(remote, f),
        FlowKind.Icmp => IcmpFlows.OutboundKey(remote, f),
        _ => GreFlows.OutboundKey(remote, f),
    };

    public static FlowLookup Inbound(uint remote, in EstablishedFlow f) => f.Kind switch
    {
        FlowKind.Esp => EspFlows.InboundKey(remote, f),
        FlowKind.Isakmp => IsakmpFlows.InboundKey(remote, f),
        FlowKind.Port => PortFlows.InboundKey(remote, f),
        FlowKind.Icmp => IcmpFlows.InboundKey(remote, f),
        _ => GreFlows.InboundKey(remote, f),
    };

    /// <summary>The key of a frame a cache may translate; false for frames only the owner may decide.</summary>
    public static bool TryOf(in Dissection d, Direction direction, uint remote, out FlowLookup key)
    {
        key = default;
        return PeerState.ProtocolOf(d) switch
        {
            FlowKind.Esp => EspFlows.TryKey(d, direction, remote, out key),
            FlowKind.Isakmp => IsakmpFlows.TryKey(d, direction, remote, out key),
            FlowKind.Port => PortFlows.TryKey(d, direction, remote, out key),
            FlowKind.Icmp => IcmpFlows.TryKey(d, direction, remote, out key),
            FlowKind.Gre => GreFlows.TryKey(d, direction, remote, out key),
            _ => false,
        };
    }

    /// <summary>Translates a frame of <paramref name="flow"/> with the function its protocol's rules use.</summary>
    public static Verdict Translate(byte[] frame, in Dissection d, Direction direction, uint remote, in EstablishedFlow flow, uint publicAddress) =>
        flow.Kind switch
        {
            FlowKind.Esp => EspFlows.Translate(frame, d, direction, remote, flow, publicAddress),
            FlowKind.Isakmp => IsakmpFlows.Translate(frame, d, direction, remote, flow, publicAddress),
            FlowKind.Port => PortFlows.Translate(frame, d, direction, remote, flow, publicAddress),
            FlowKind.Icmp => IcmpFlows.Translate(frame, d, direction, remote, flow, publicAddress),
            _ => GreFlows.Translate(frame, d, direction, remote, flow, publicAddress),
        };
}
