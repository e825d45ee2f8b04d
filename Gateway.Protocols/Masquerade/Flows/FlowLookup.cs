namespace VpnMasq.Protocols.Masquerade.Flows;

/// <summary>
/// What a frame is looked up by in a <see cref="FlowIndex"/>: for outbound frames the inside host and
/// its own identifiers, for inbound frames only what the remote sends (SPI, cookies, public port).
/// </summary>
public readonly record struct FlowLookup(FlowKind Kind, Direction Direction, uint Remote, uint Inside, ulong A, ulong B)
{
    public static FlowLookup Outbound(uint remote, in EstablishedFlow f) => f.Kind switch
    {
        FlowKind.Esp => new(f.Kind, Direction.Outbound, remote, f.Inside, f.OutboundKey, 0),
        FlowKind.Isakmp => new(f.Kind, Direction.Outbound, remote, f.Inside, f.OutboundKey, 0),
        FlowKind.Port => new(f.Kind, Direction.Outbound, remote, f.Inside, PortKey(f.Protocol, f.InsideKey, f.RemoteKey), 0),
        FlowKind.Icmp => new(f.Kind, Direction.Outbound, remote, f.Inside, f.InsideKey, 0),
        _ => new(f.Kind, Direction.Outbound, remote, f.Inside, f.RemoteKey, 0),
    };

    public static FlowLookup Inbound(uint remote, in EstablishedFlow f) => f.Kind switch
    {
        FlowKind.Esp => new(f.Kind, Direction.Inbound, remote, 0, f.InboundKey, 0),
        FlowKind.Isakmp => new(f.Kind, Direction.Inbound, remote, 0, f.OutboundKey, f.InboundKey),
        FlowKind.Port => new(f.Kind, Direction.Inbound, remote, 0, PortKey(f.Protocol, f.PublicKey, f.RemoteKey), 0),
        _ => new(f.Kind, Direction.Inbound, remote, 0, f.PublicKey, 0),
    };

    public static ulong PortKey(byte protocol, ushort localPort, ushort remotePort) =>
        ((ulong)protocol << 32) | ((ulong)localPort << 16) | remotePort;
}
