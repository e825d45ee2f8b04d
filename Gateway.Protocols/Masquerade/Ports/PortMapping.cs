using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Protocols.Masquerade.Ports;

/// <summary>One TCP or UDP translation towards this peer: inside host:port &lt;-&gt; public port (HOWTO §2.9).</summary>
public sealed class PortMapping : IFlowEntry
{
    public required byte Protocol { get; init; }
    public required uint Inside { get; init; }
    public required ushort InsidePort { get; init; }
    public required ushort RemotePort { get; init; }
    public required ushort PublicPort { get; init; }
    public bool ViaForward { get; init; }
    public TcpMappingState State { get; internal set; }
    public TimeSpan LastSeen { get; internal set; }

    /// <summary>FIN flags seen per direction: a TCP mapping is closed once both sides sent one.</summary>
    public bool FinFromInside { get; internal set; }
    public bool FinFromRemote { get; internal set; }

    void IFlowEntry.Saw(TimeSpan at) => LastSeen = FlowTranslation.Later(LastSeen, at);
}
