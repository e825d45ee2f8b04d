namespace VpnMasq.Protocols.Masquerade;

/// <summary>Which way a frame crosses the gateway: from an Inside network out, or from the internet in.</summary>
public enum Direction : byte
{
    Outbound,
    Inbound,
}
