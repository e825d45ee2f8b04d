namespace VpnMasq.Protocols.Masquerade.Flows;

public enum FlowKind : byte
{
    Esp = 1,
    Isakmp,
    Port,
    Icmp,
    Gre,
}

/// <summary>
/// A translation any node may apply without asking the peer's owner (DESIGN §1, "Established flows
/// never wait for an owner"): it changes no state but last-seen. The owner publishes these; the
/// fields used depend on <see cref="Kind"/>:
/// ESP: <see cref="OutboundKey"/> = outbound SPI, <see cref="InboundKey"/> = inbound SPI.
/// ISAKMP: initiator and responder cookies.
/// Port: <see cref="Protocol"/>, inside port, remote port, public port.
/// ICMP: inside identifier, public identifier.
/// GRE: the client's Call ID (<see cref="InsideKey"/>), the peer's (<see cref="RemoteKey"/>), the masqueraded one (<see cref="PublicKey"/>).
/// </summary>
public readonly record struct EstablishedFlow(
    FlowKind Kind,
    uint Inside,
    byte Protocol = 0,
    ushort InsideKey = 0,
    ushort RemoteKey = 0,
    ushort PublicKey = 0,
    ulong OutboundKey = 0,
    ulong InboundKey = 0,
    bool OutboundCached = true);

/// <summary>A fixed order, so two equal tables publish equal flow lists and an unchanged table publishes nothing.</summary>
internal sealed class EstablishedFlowOrder : IComparer<EstablishedFlow>
{
    public static readonly EstablishedFlowOrder Instance = new();

    public int Compare(EstablishedFlow a, EstablishedFlow b)
    {
        int c = a.Kind.CompareTo(b.Kind);
        if (c == 0) c = a.Inside.CompareTo(b.Inside);
        if (c == 0) c = a.Protocol.CompareTo(b.Protocol);
        if (c == 0) c = a.PublicKey.CompareTo(b.PublicKey);
        if (c == 0) c = a.RemoteKey.CompareTo(b.RemoteKey);
        if (c == 0) c = a.InsideKey.CompareTo(b.InsideKey);
        if (c == 0) c = a.OutboundKey.CompareTo(b.OutboundKey);
        if (c == 0) c = a.InboundKey.CompareTo(b.InboundKey);
        if (c == 0) c = a.OutboundCached.CompareTo(b.OutboundCached);
        return c;
    }
}
