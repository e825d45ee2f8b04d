using System.Collections.Concurrent;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Protocols.Masquerade.Flows;

/// <summary>
/// A node's flow cache (DESIGN §1): the established flows of every peer, from whichever node owns it,
/// so a frame of an established flow is translated where it was captured, exactly as the owner's
/// <see cref="PeerState"/> would. Lookups are lock-free and allocation-free; a peer's flows are
/// replaced as a whole when its owner publishes a new set.
/// </summary>
public sealed class FlowIndex
{
    private readonly ConcurrentDictionary<FlowLookup, EstablishedFlow> _lookups = new();
    private readonly Dictionary<uint, IReadOnlyList<EstablishedFlow>> _byPeer = [];
    private readonly Lock _writer = new();

    public int PeerCount
    {
        get { lock (_writer) return _byPeer.Count; }
    }

    public int LookupCount => _lookups.Count;

    /// <summary>Replaces everything known about <paramref name="remote"/>'s flows; an empty list retracts them.</summary>
    public void SetPeerFlows(uint remote, IReadOnlyList<EstablishedFlow> flows)
    {
        lock (_writer)
        {
            if (_byPeer.TryGetValue(remote, out var old))
            {
                foreach (var f in old)
                {
                    _lookups.TryRemove(FlowLookup.Outbound(remote, f), out _);
                    _lookups.TryRemove(FlowLookup.Inbound(remote, f), out _);
                }
            }

            if (flows.Count == 0)
            {
                _byPeer.Remove(remote);
                return;
            }

            _byPeer[remote] = flows;
            foreach (var f in flows)
            {
                if (f.OutboundCached)
                    _lookups[FlowLookup.Outbound(remote, f)] = f;
                _lookups[FlowLookup.Inbound(remote, f)] = f;
            }
        }
    }

    public IReadOnlyList<EstablishedFlow> FlowsOf(uint remote)
    {
        lock (_writer)
            return _byPeer.TryGetValue(remote, out var flows) ? flows : [];
    }

    /// <summary>
    /// Translates <paramref name="frame"/> in place when it belongs to an established flow of
    /// <paramref name="remote"/> and changes no state; otherwise leaves it untouched and returns false,
    /// and the frame goes to the owner.
    /// </summary>
    public bool TryTranslate(byte[] frame, in Dissection d, Direction direction, uint remote, uint publicAddress,
        out Verdict verdict, out EstablishedFlow flow)
    {
        verdict = default;
        flow = default;
        if (!TryKey(d, direction, remote, out var key) || !_lookups.TryGetValue(key, out flow))
            return false;
        var datagram = frame.AsSpan(d.NetworkOffset, d.IpTotalLength);
        var label = MasqueradeGateway.LabelOf(d);
        if (direction == Direction.Outbound)
        {
            PacketRewriter.SetSourceAddress(datagram, publicAddress);
            if (flow.Kind == FlowKind.Port && flow.PublicKey != d.SourcePort)
                PacketRewriter.SetSourcePort(datagram, flow.PublicKey);
            else if (flow.Kind == FlowKind.Icmp && flow.PublicKey != d.IcmpIdentifier)
                PacketRewriter.SetIcmpIdentifier(datagram, flow.PublicKey);
            verdict = Verdict.Send(label, remote, flow.Inside, Side.Outside);
            return true;
        }

        PacketRewriter.SetDestinationAddress(datagram, flow.Inside);
        if (flow.Kind == FlowKind.Port && flow.InsideKey != d.DestinationPort)
            PacketRewriter.SetDestinationPort(datagram, flow.InsideKey);
        else if (flow.Kind == FlowKind.Icmp && flow.PublicKey != flow.InsideKey)
            PacketRewriter.SetIcmpIdentifier(datagram, flow.InsideKey);
        else if (flow.Kind == FlowKind.Gre && flow.InsideKey != d.GreCallId)
            PacketRewriter.SetGreCallId(datagram, flow.InsideKey);
        verdict = Verdict.Send(label, remote, flow.Inside, Side.Inside);
        return true;
    }

    /// <summary>The lookup key of a frame that a cache may translate; false for frames only the owner may decide.</summary>
    private static bool TryKey(in Dissection d, Direction direction, uint remote, out FlowLookup key)
    {
        key = default;
        bool outbound = direction == Direction.Outbound;
        uint inside = outbound ? d.Source : 0;
        switch (d.Kind)
        {
            case FrameKind.Esp when d.Spi != 0:
                key = new FlowLookup(FlowKind.Esp, direction, remote, inside, d.Spi, 0);
                return true;
            case FrameKind.Isakmp when d.SourcePort == FrameDissector.IsakmpPort && d.DestinationPort == FrameDissector.IsakmpPort:
                if (d.InitiatorCookie == 0 || (!outbound && d.ResponderCookie == 0))
                    return false;
                key = new FlowLookup(FlowKind.Isakmp, direction, remote, inside, d.InitiatorCookie, outbound ? 0 : d.ResponderCookie);
                return true;
            case FrameKind.Tcp or FrameKind.Udp or FrameKind.Isakmp or FrameKind.NatTEsp or FrameKind.NatTIsakmp or FrameKind.NatTKeepalive:
                if (d.Protocol == IpProtocol.Tcp
                    && ((d.TcpFlags & (TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Rst)) != 0
                        || d.SourcePort == PptpControlMessage.TcpPort || d.DestinationPort == PptpControlMessage.TcpPort))
                    return false;
                ushort local = outbound ? d.SourcePort : d.DestinationPort;
                ushort far = outbound ? d.DestinationPort : d.SourcePort;
                key = new FlowLookup(FlowKind.Port, direction, remote, inside, FlowLookup.PortKey(d.Protocol, local, far), 0);
                return true;
            case FrameKind.Icmp:
                if (IcmpTypes.IsError(d.IcmpType) || outbound != IcmpTypes.IsQueryRequest(d.IcmpType))
                    return false;
                key = new FlowLookup(FlowKind.Icmp, direction, remote, inside, d.IcmpIdentifier, 0);
                return true;
            case FrameKind.Gre when d.GreVersion == 1:
                key = new FlowLookup(FlowKind.Gre, direction, remote, inside, d.GreCallId, 0);
                return true;
            default:
                return false;
        }
    }
}
