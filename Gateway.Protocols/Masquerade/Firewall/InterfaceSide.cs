namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>
/// The only interfaces the firewall knows: the inside one (the configured inside interface name,
/// "eth0" by default) and the outside one (every other name: eth1, ppp0, ppp+ …).
/// </summary>
public enum InterfaceSide : byte
{
    Inside,
    Outside,
}
