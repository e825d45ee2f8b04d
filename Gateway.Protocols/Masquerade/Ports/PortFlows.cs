using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Protocols.Masquerade.Ports;

/// <summary>
/// TCP/UDP as a flow cache sees it: UDP mappings, and TCP mappings once established, except PPTP control
/// connections (their stream is rewritten). Out by (inside host, protocol, inside port, remote port), in by
/// (protocol, public port, remote port); the address and the port change.
/// </summary>
internal static class PortFlows
{
    public static EstablishedFlow Of(PortMapping m) => new(FlowKind.Port, m.Inside, m.Protocol, m.InsidePort, m.RemotePort, m.PublicPort);

    public static void Project(PortTable table, List<EstablishedFlow> flows)
    {
        foreach (var m in table.Mappings)
        {
            if (m.Protocol == IpProtocol.Udp || (m.State == TcpMappingState.Established && !PortRules.IsPptpControl(m)))
                flows.Add(Of(m));
        }
    }

    /// <summary>A TCP segment that could move the connection (SYN, FIN, RST) or one of PPTP control is the owner's.</summary>
    public static bool TryKey(in Dissection d, Direction direction, uint remote, out FlowLookup key)
    {
        key = default;
        if (d.Protocol == IpProtocol.Tcp
            && ((d.TcpFlags & (TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Rst)) != 0
                || d.SourcePort == PptpControlMessage.TcpPort || d.DestinationPort == PptpControlMessage.TcpPort))
            return false;
        bool outbound = direction == Direction.Outbound;
        ushort local = outbound ? d.SourcePort : d.DestinationPort;
        ushort far = outbound ? d.DestinationPort : d.SourcePort;
        key = new FlowLookup(FlowKind.Port, direction, remote, outbound ? d.Source : 0, Key(d.Protocol, local, far), 0);
        return true;
    }

    public static FlowLookup OutboundKey(uint remote, in EstablishedFlow f) =>
        new(FlowKind.Port, Direction.Outbound, remote, f.Inside, Key(f.Protocol, f.InsideKey, f.RemoteKey), 0);

    public static FlowLookup InboundKey(uint remote, in EstablishedFlow f) =>
        new(FlowKind.Port, Direction.Inbound, remote, 0, Key(f.Protocol, f.PublicKey, f.RemoteKey), 0);

    private static ulong Key(byte protocol, ushort localPort, ushort remotePort) =>
        ((ulong)protocol << 32) | ((ulong)localPort << 16) | remotePort;

    public static Verdict Translate(byte[] frame, in Dissection d, Direction direction, uint remote, in EstablishedFlow flow, uint publicAddress)
    {
        var verdict = FlowTranslation.Addresses(frame, d, direction, remote, flow.Inside, publicAddress);
        var datagram = FlowTranslation.Datagram(frame, d);
        if (direction == Direction.Outbound && flow.PublicKey != d.SourcePort)
            PacketRewriter.SetSourcePort(datagram, flow.PublicKey);
        else if (direction == Direction.Inbound && flow.InsideKey != d.DestinationPort)
            PacketRewriter.SetDestinationPort(datagram, flow.InsideKey);
        return verdict;
    }

    public static bool Touch(PortTable table, in EstablishedFlow flow, TimeSpan at) => FlowTranslation.Touch(table.FindInbound(flow.Protocol, flow.PublicKey, flow.RemoteKey), at);
}
