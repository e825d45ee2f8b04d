namespace VpnMasq.Protocols.Ipv4;

/// <summary>IANA protocol numbers the gateway treats specially.</summary>
public static class IpProtocol
{
    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Gre = 47;
    public const byte Esp = 50;
    public const byte Ah = 51;
}
