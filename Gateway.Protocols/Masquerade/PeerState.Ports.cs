using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Ports;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Protocols.Masquerade;

// Plain TCP/UDP masquerade (DESIGN §3.1) and port forwards (§3.5).
public sealed partial class PeerState
{
    private Verdict OutboundPort(byte[] frame, in Dissection d, TimeSpan now)
    {
        var label = MasqueradeGateway.LabelOf(d);
        var mapping = Ports.FindOutbound(d.Protocol, d.Source, d.SourcePort, d.DestinationPort);
        if (mapping is not null && IsExpired(mapping, now))
        {
            Unmap(mapping, RemovalCause.Expired, now);
            mapping = null;
        }

        if (mapping is null)
        {
            // A stray segment of a connection we never saw open gets no mapping (it would only draw a RST).
            if (d.Protocol == IpProtocol.Tcp && (d.TcpFlags & TcpFlags.Syn) == 0)
                return Verdict.Drop(DropReason.NoMapping, label, Remote, d.Source);
            if (!MakeRoom(now))
                return Verdict.Drop(DropReason.TableFull, label, Remote, d.Source);
            uint inside = d.Source;
            byte protocol = d.Protocol;
            ushort publicPort = Ports.ChoosePublicPort(protocol, d.SourcePort, d.DestinationPort, Options.Ports,
                port => _settings.IsForwardedPort(protocol, port, inside));
            if (publicPort == 0)
                return Verdict.Drop(DropReason.PortsExhausted, label, Remote, d.Source);
            Emit(new PortMapped(now, d.Protocol, d.Source, d.SourcePort, d.DestinationPort, publicPort, ViaForward: false));
            mapping = Ports.FindOutbound(d.Protocol, d.Source, d.SourcePort, d.DestinationPort)!;
        }

        if (Refresh(frame, d, mapping, Direction.Outbound, now) is var refused and not DropReason.None)
            return Verdict.Drop(refused, ProtocolLabel.Pptp, Remote, d.Source);

        var datagram = Datagram(frame, d);
        PacketRewriter.SetSourceAddress(datagram, PublicAddress);
        if (mapping.PublicPort != d.SourcePort)
            PacketRewriter.SetSourcePort(datagram, mapping.PublicPort);
        return Verdict.Send(label, Remote, mapping.Inside, Side.Outside);
    }

    private Verdict InboundPort(byte[] frame, in Dissection d, TimeSpan now)
    {
        var label = MasqueradeGateway.LabelOf(d);
        var mapping = Ports.FindInbound(d.Protocol, d.DestinationPort, d.SourcePort);
        if (mapping is not null && IsExpired(mapping, now))
        {
            Unmap(mapping, RemovalCause.Expired, now);
            mapping = null;
        }

        if (mapping is null)
        {
            if (_settings.FindPortForward(d.Protocol, d.DestinationPort) is not { } forward)
                return Verdict.Drop(DropReason.NoMapping, label, Remote);
            if (d.Protocol == IpProtocol.Tcp && (d.TcpFlags & TcpFlags.Syn) == 0)
                return Verdict.Drop(DropReason.NoMapping, label, Remote, forward.TargetAddress);
            if (!MakeRoom(now))
                return Verdict.Drop(DropReason.TableFull, label, Remote, forward.TargetAddress);
            Emit(new PortMapped(now, d.Protocol, forward.TargetAddress, forward.TargetPort, d.SourcePort, d.DestinationPort, ViaForward: true));
            mapping = Ports.FindInbound(d.Protocol, d.DestinationPort, d.SourcePort)!;
        }

        if (Refresh(frame, d, mapping, Direction.Inbound, now) is var refused and not DropReason.None)
            return Verdict.Drop(refused, ProtocolLabel.Pptp, Remote, mapping.Inside);

        var datagram = Datagram(frame, d);
        PacketRewriter.SetDestinationAddress(datagram, mapping.Inside);
        if (mapping.InsidePort != d.DestinationPort)
            PacketRewriter.SetDestinationPort(datagram, mapping.InsidePort);
        return Verdict.Send(label, Remote, mapping.Inside, Side.Inside);
    }

    /// <summary>
    /// A segment or datagram passes its mapping: last seen, TCP state, and for a PPTP control connection its stream.
    /// The stream is read first: a control segment refused (out of order, malformed) must not move the connection, or
    /// a spoofed RST or FIN ahead of the stream would close a client's control connection and end its calls.
    /// Returns the refusal, or None.
    /// </summary>
    private DropReason Refresh(byte[] frame, in Dissection d, PortMapping mapping, Direction direction, TimeSpan now)
    {
        bool control = d.Protocol == IpProtocol.Tcp && IsPptpControl(mapping);
        if (control && ReadPptpControl(frame, d, mapping, direction, now) is var refused and not DropReason.None)
            return refused;
        mapping.LastSeen = now;
        if (d.Protocol == IpProtocol.Tcp)
            TrackTcp(mapping, d.TcpFlags, fromInside: direction == Direction.Outbound, now);
        if (control)
            EndCallsOfClosedConnection(mapping, now);
        return DropReason.None;
    }

    /// <summary>TCP mappings follow the connection (DESIGN §3.1): state changes are events, packets are not.</summary>
    private void TrackTcp(PortMapping mapping, TcpFlags flags, bool fromInside, TimeSpan now)
    {
        var next = mapping.State;
        bool finFromInside = mapping.FinFromInside;
        bool finFromRemote = mapping.FinFromRemote;
        if ((flags & TcpFlags.Rst) != 0)
        {
            next = TcpMappingState.Closed;
        }
        else if ((flags & TcpFlags.Fin) != 0)
        {
            if (fromInside)
                finFromInside = true;
            else
                finFromRemote = true;
            next = finFromInside && finFromRemote ? TcpMappingState.Closed : TcpMappingState.Closing;
        }
        else if (mapping.State == TcpMappingState.Opening && (flags & TcpFlags.Ack) != 0 && fromInside == mapping.ViaForward)
        {
            // An ACK from the side that did not open the connection establishes it.
            next = TcpMappingState.Established;
        }

        // The FIN sides travel in the event: recovery must know a half-closed connection is half closed.
        if (next != mapping.State && !(mapping.State == TcpMappingState.Closed && next != TcpMappingState.Closed))
            Emit(new TcpStateChanged(now, mapping.PublicPort, mapping.RemotePort, next, finFromInside, finFromRemote));
    }

    private bool IsExpired(PortMapping mapping, TimeSpan now) => now - mapping.LastSeen > Lifetime(mapping);

    private TimeSpan Lifetime(PortMapping mapping)
    {
        var ports = Options.Ports;
        if (mapping.Protocol == IpProtocol.Udp)
        {
            // NAT-T keepalives (every 20 s) must hold 4500 mappings as long as the IKE SA lives (DESIGN §3.2).
            bool ike = mapping.RemotePort is NatTraversal.Port or FrameDissector.IsakmpPort
                || mapping.InsidePort is NatTraversal.Port or FrameDissector.IsakmpPort;
            return ike ? Options.Isakmp.Lifetime : ports.UdpLifetime;
        }

        return mapping.State switch
        {
            TcpMappingState.Established => ports.TcpEstablishedLifetime,
            TcpMappingState.Closing => ports.TcpTransitoryLifetime,
            TcpMappingState.Closed => ports.TcpClosingLifetime,
            _ => ports.TcpTransitoryLifetime,
        };
    }

    private void Unmap(PortMapping mapping, RemovalCause cause, TimeSpan now)
    {
        if (IsPptpControl(mapping))
            EndCalls(mapping, cause, now);

        Emit(new PortUnmapped(now, mapping.Protocol, mapping.PublicPort, mapping.RemotePort, cause));
    }

    /// <summary>
    /// The control connection has closed (FIN both ways, or RST): its calls end now, not when the
    /// mapping expires, or GRE would still reach the client for the closing lifetime (DESIGN §3.4).
    /// </summary>
    private void EndCallsOfClosedConnection(PortMapping mapping, TimeSpan now)
    {
        if (mapping.State == TcpMappingState.Closed)
            EndCalls(mapping, RemovalCause.Closed, now);
    }

    private void EndCalls(PortMapping mapping, RemovalCause cause, TimeSpan now)
    {
        foreach (var call in Calls.OnConnection(mapping.Inside, mapping.InsidePort).ToList())
            Emit(new PptpCallUnmapped(now, call.MasqueradedCallId, cause));
    }

    /// <summary>
    /// A control connection goes to the PPTP server's port 1723: the remote's for an inside client, the
    /// inside host's through a forward for an inside server. Testing "either port is 1723" also caught an
    /// inside client that merely picked 1723 as its ephemeral source port (old Windows stacks use
    /// 1024-5000) and dropped its plain TCP (e.g. HTTP) as malformed PPTP.
    /// </summary>
    private static bool IsPptpControl(PortMapping mapping) =>
        mapping.Protocol == IpProtocol.Tcp
        && (mapping.ViaForward ? mapping.InsidePort : mapping.RemotePort) == PptpControlMessage.TcpPort;
}
