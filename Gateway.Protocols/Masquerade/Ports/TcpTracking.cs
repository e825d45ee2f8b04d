using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Peers;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Protocols.Masquerade.Ports;

/// <summary>TCP mappings follow the connection (DESIGN §3.1): state changes are events, packets are not.</summary>
internal static class TcpTracking
{
    /// <summary>Emits the mapping's next state when the segment moves it; returns the state it is in after the segment.</summary>
    public static TcpMappingState Follow(PeerDecisionBuilder b, PortMapping mapping, TcpFlags flags, bool fromInside)
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

        // A closed mapping stays closed. The FIN sides travel in the event: recovery must know a half-closed connection is half closed.
        if (next == mapping.State || (mapping.State == TcpMappingState.Closed && next != TcpMappingState.Closed))
            return mapping.State;
        b.Emit(new TcpStateChanged(b.Now, mapping.PublicPort, mapping.RemotePort, next, finFromInside, finFromRemote));
        return next;
    }
}
