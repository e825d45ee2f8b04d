using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Peers;
using VpnMasq.Protocols.Masquerade.Pptp;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Protocols.Masquerade.Ports;

/// <summary>Plain TCP/UDP masquerade (DESIGN §3.1) and port forwards (§3.5).</summary>
internal static class PortRules
{
    public static Verdict Outbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        var label = ProtocolLabels.Of(d);
        var table = b.Peer.Ports;
        var mapping = table.FindOutbound(d.Protocol, d.Source, d.SourcePort, d.DestinationPort);
        if (mapping is not null && IsExpired(b, mapping))
        {
            Unmap(b, mapping, RemovalCause.Expired);
            mapping = null;
        }

        if (mapping is null)
        {
            // A stray segment of a connection we never saw open gets no mapping (it would only draw a RST).
            if (d.Protocol == IpProtocol.Tcp && (d.TcpFlags & TcpFlags.Syn) == 0)
                return b.Drop(DropReason.NoMapping, label, d.Source);
            if (!Eviction.MakeRoom(b))
                return b.Drop(DropReason.TableFull, label, d.Source);
            uint inside = d.Source;
            byte protocol = d.Protocol;
            var settings = b.Settings;
            ushort publicPort = table.ChoosePublicPort(protocol, d.SourcePort, d.DestinationPort, b.Options.Ports,
                port => settings.IsForwardedPort(protocol, port, inside), b.FreedPorts);
            if (publicPort == 0)
                return b.Drop(DropReason.PortsExhausted, label, d.Source);
            var mapped = new PortMapped(b.Now, d.Protocol, d.Source, d.SourcePort, d.DestinationPort, publicPort, ViaForward: false);
            b.Emit(mapped);
            mapping = PortTable.Create(mapped);
        }

        if (Refresh(b, frame, d, mapping, Direction.Outbound) is var refused and not DropReason.None)
            return b.Drop(refused, ProtocolLabel.Pptp, d.Source);
        return PortFlows.Translate(frame, d, Direction.Outbound, b.Remote, PortFlows.Of(mapping), b.PublicAddress);
    }

    public static Verdict Inbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        var label = ProtocolLabels.Of(d);
        var mapping = b.Peer.Ports.FindInbound(d.Protocol, d.DestinationPort, d.SourcePort);
        if (mapping is not null && IsExpired(b, mapping))
        {
            Unmap(b, mapping, RemovalCause.Expired);
            mapping = null;
        }

        if (mapping is null)
        {
            if (b.Settings.FindPortForward(d.Protocol, d.DestinationPort) is not { } forward)
                return b.Drop(DropReason.NoMapping, label);
            if (d.Protocol == IpProtocol.Tcp && (d.TcpFlags & TcpFlags.Syn) == 0)
                return b.Drop(DropReason.NoMapping, label, forward.TargetAddress);
            if (!Eviction.MakeRoom(b))
                return b.Drop(DropReason.TableFull, label, forward.TargetAddress);
            var mapped = new PortMapped(b.Now, d.Protocol, forward.TargetAddress, forward.TargetPort, d.SourcePort, d.DestinationPort, ViaForward: true);
            b.Emit(mapped);
            mapping = PortTable.Create(mapped);
        }

        if (Refresh(b, frame, d, mapping, Direction.Inbound) is var refused and not DropReason.None)
            return b.Drop(refused, ProtocolLabel.Pptp, mapping.Inside);
        return PortFlows.Translate(frame, d, Direction.Inbound, b.Remote, PortFlows.Of(mapping), b.PublicAddress);
    }

    /// <summary>
    /// A segment or datagram passes its mapping: last seen, TCP state, and for a PPTP control connection its stream.
    /// The stream is read first: a control segment refused (out of order, malformed) must not move the connection, or
    /// a spoofed RST or FIN ahead of the stream would close a client's control connection and end its calls.
    /// Returns the refusal, or None.
    /// </summary>
    private static DropReason Refresh(PeerDecisionBuilder b, byte[] frame, in Dissection d, PortMapping mapping, Direction direction)
    {
        bool control = d.Protocol == IpProtocol.Tcp && IsPptpControl(mapping);
        if (control && PptpControlRules.Read(b, frame, d, mapping, direction) is var refused and not DropReason.None)
            return refused;
        b.Saw(PortFlows.Of(mapping));
        if (d.Protocol != IpProtocol.Tcp)
            return DropReason.None;

        // The control connection has closed (FIN both ways, or RST): its calls end now, not when the
        // mapping expires, or GRE would still reach the client for the closing lifetime (DESIGN §3.4).
        var state = TcpTracking.Follow(b, mapping, d.TcpFlags, fromInside: direction == Direction.Outbound);
        if (control && state == TcpMappingState.Closed)
            PptpControlRules.EndCalls(b, mapping, RemovalCause.Closed);
        return DropReason.None;
    }

    public static bool IsExpired(PeerDecisionBuilder b, PortMapping mapping) => b.Now - mapping.LastSeen > Lifetime(b.Options, mapping);

    private static TimeSpan Lifetime(MasqueradeOptions options, PortMapping mapping)
    {
        var ports = options.Ports;
        if (mapping.Protocol == IpProtocol.Udp)
        {
            // NAT-T keepalives (every 20 s) must hold 4500 mappings as long as the IKE SA lives (DESIGN §3.2).
            return CarriesIke(mapping) ? options.Isakmp.Lifetime : ports.UdpLifetime;
        }

        return mapping.State switch
        {
            TcpMappingState.Established => ports.TcpEstablishedLifetime,
            TcpMappingState.Closing => ports.TcpTransitoryLifetime,
            TcpMappingState.Closed => ports.TcpClosingLifetime,
            _ => ports.TcpTransitoryLifetime,
        };
    }

    public static void Unmap(PeerDecisionBuilder b, PortMapping mapping, RemovalCause cause)
    {
        if (IsPptpControl(mapping))
            PptpControlRules.EndCalls(b, mapping, cause);
        b.Emit(new PortUnmapped(b.Now, mapping.Protocol, mapping.PublicPort, mapping.RemotePort, cause));
    }

    public static void Sweep(PeerDecisionBuilder b)
    {
        foreach (var mapping in b.Peer.Ports.Mappings)
        {
            if (IsExpired(b, mapping))
                Unmap(b, mapping, RemovalCause.Expired);
        }
    }

    public static void CloseAll(PeerDecisionBuilder b, RemovalCause cause)
    {
        foreach (var mapping in b.Peer.Ports.Mappings)
            b.Emit(new PortUnmapped(b.Now, mapping.Protocol, mapping.PublicPort, mapping.RemotePort, cause));
    }

    /// <summary>
    /// A control connection goes to the PPTP server's port 1723: the remote's for an inside client, the
    /// inside host's through a forward for an inside server. Testing "either port is 1723" also caught an
    /// inside client that merely picked 1723 as its ephemeral source port (old Windows stacks use
    /// 1024-5000) and dropped its plain TCP (e.g. HTTP) as malformed PPTP.
    /// </summary>
    public static bool IsPptpControl(PortMapping mapping) =>
        mapping.Protocol == IpProtocol.Tcp
        && (mapping.ViaForward ? mapping.InsidePort : mapping.RemotePort) == VpnMasq.Protocols.Pptp.PptpControlMessage.TcpPort;

    /// <summary>UDP to or from 500/4500: IKE or NAT-T, an IPsec SA travels in it.</summary>
    public static bool CarriesIke(PortMapping mapping) =>
        mapping.Protocol == IpProtocol.Udp
        && (mapping.RemotePort is NatTraversal.Port or FrameDissector.IsakmpPort
            || mapping.InsidePort is NatTraversal.Port or FrameDissector.IsakmpPort);
}
