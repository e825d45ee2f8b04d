namespace VpnMasq.Protocols.Masquerade;

/// <summary>
/// The options plus what changes at run time: the public address when it is "auto".
/// Shared by the gateway front and every peer.
/// </summary>
public sealed class MasqueradeSettings(MasqueradeOptions options)
{
    public MasqueradeOptions Options { get; } = options;
    public uint PublicAddress { get; set; } = options.PublicAddress;

    public PortForward? FindPortForward(byte protocol, ushort publicPort)
    {
        foreach (var forward in Options.PortForwards)
        {
            if (forward.Protocol == protocol && forward.PublicPort == publicPort)
                return forward;
        }

        return null;
    }

    public ProtocolForward? FindProtocolForward(byte protocol)
    {
        foreach (var forward in Options.ProtocolForwards)
        {
            if (forward.Protocol == protocol)
                return forward;
        }

        return null;
    }

    /// <summary>True when a public port is a forward's, so it is not handed to other inside hosts.</summary>
    public bool IsForwardedPort(byte protocol, ushort publicPort, uint inside)
    {
        var forward = FindPortForward(protocol, publicPort);
        return forward is not null && forward.TargetAddress != inside;
    }
}
