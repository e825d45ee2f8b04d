using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Firewall;

namespace VpnMasq.Protocols.Tests.Masquerade.Firewall;

/// <summary>Packet summaries for firewall tests, addresses written dotted.</summary>
internal static class Packets
{
    public static PacketSummary TcpPacket(string source, ushort sourcePort, string destination, ushort destinationPort) =>
        new(IpProtocol.Tcp, Ipv4Address.Parse(source), Ipv4Address.Parse(destination), sourcePort, destinationPort, 0);

    public static PacketSummary UdpPacket(string source, ushort sourcePort, string destination, ushort destinationPort) =>
        new(IpProtocol.Udp, Ipv4Address.Parse(source), Ipv4Address.Parse(destination), sourcePort, destinationPort, 0);

    public static PacketSummary IcmpPacket(string source, string destination, byte type) =>
        new(IpProtocol.Icmp, Ipv4Address.Parse(source), Ipv4Address.Parse(destination), 0, 0, type);

    /// <summary>A protocol without ports, e.g. ESP (50) or GRE (47).</summary>
    public static PacketSummary IpPacket(byte protocol, string source, string destination) =>
        new(protocol, Ipv4Address.Parse(source), Ipv4Address.Parse(destination), 0, 0, 0);
}
