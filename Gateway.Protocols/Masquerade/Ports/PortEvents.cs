// The journal's vocabulary keeps one namespace (Events) wherever each protocol's records live.
namespace VpnMasq.Protocols.Masquerade.Events;

/// <summary>A TCP or UDP mapping: inside host:port &lt;-&gt; public port, towards this peer's port.</summary>
public sealed record PortMapped(
    TimeSpan At, byte Protocol, uint Inside, ushort InsidePort, ushort RemotePort, ushort PublicPort, bool ViaForward)
    : PeerEvent(At);

/// <summary>A TCP mapping's state moved; the FIN flags say which sides have closed so far.</summary>
public sealed record TcpStateChanged(
    TimeSpan At, ushort PublicPort, ushort RemotePort, TcpMappingState State, bool FinFromInside = false, bool FinFromRemote = false)
    : PeerEvent(At);

public sealed record PortUnmapped(TimeSpan At, byte Protocol, ushort PublicPort, ushort RemotePort, RemovalCause Cause) : PeerEvent(At);

public enum TcpMappingState : byte
{
    /// <summary>SYN seen, no reply yet.</summary>
    Opening,
    Established,

    /// <summary>FIN seen from one side.</summary>
    Closing,

    /// <summary>RST, or FIN seen from both sides.</summary>
    Closed,
}
