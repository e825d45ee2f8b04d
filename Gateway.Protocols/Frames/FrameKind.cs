namespace VpnMasq.Protocols.Frames;

/// <summary>What the gateway sees in a frame, after dissecting every layer it understands.</summary>
public enum FrameKind : byte
{
    /// <summary>Not IPv4 (ARP, IPv6, …): none of the gateway's business.</summary>
    NotIpv4,
    Tcp,
    Udp,
    Icmp,
    Esp,
    Ah,
    Gre,

    /// <summary>ISAKMP/IKE on UDP port 500.</summary>
    Isakmp,

    /// <summary>ISAKMP/IKE on UDP 4500 after the non-ESP marker.</summary>
    NatTIsakmp,

    /// <summary>UDP-encapsulated ESP on port 4500.</summary>
    NatTEsp,

    /// <summary>NAT keepalive (one 0xFF byte) on port 4500.</summary>
    NatTKeepalive,

    /// <summary>A non-first IPv4 fragment: no transport header.</summary>
    Fragment,

    /// <summary>IPv4 with a protocol the gateway does not decode.</summary>
    OtherIp,
}

/// <summary>The layer at which dissection stopped on a bad frame.</summary>
public enum FrameLayer : byte
{
    None,
    Link,
    Network,
    Transport,
    Application,
}
