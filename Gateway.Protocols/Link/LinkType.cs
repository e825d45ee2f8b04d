namespace VpnMasq.Protocols.Link;

/// <summary>The pcap link-layer header types (tcpdump.org/linktypes.html) the gateway reads.</summary>
public enum LinkType : ushort
{
    Null = 0,
    Ethernet = 1,
    Raw = 101,
    LinuxCooked = 113,
    Ipv4 = 228,
}
