using System.Buffers.Binary;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>
/// The fields of a packet the firewall matches on. Addresses are host-order (see <c>Ipv4Address</c>);
/// ports are meaningful for TCP and UDP, <see cref="IcmpType"/> for ICMP, and both are ignored otherwise.
/// </summary>
public readonly record struct PacketSummary(
    byte Protocol,
    uint Source,
    uint Destination,
    ushort SourcePort,
    ushort DestinationPort,
    byte IcmpType)
{
    public static PacketSummary Of(in Dissection d) =>
        new(d.Protocol, d.Source, d.Destination, d.SourcePort, d.DestinationPort, (byte)d.IcmpType);

    /// <summary>
    /// The packet as it leaves: a translation rewrites addresses and ports in place and never moves a header, so they
    /// are read back from where <paramref name="d"/> found them instead of dissecting the frame again.
    /// </summary>
    public static PacketSummary AsSent(byte[] frame, in Dissection d)
    {
        var ip = frame.AsSpan(d.NetworkOffset);
        ushort sourcePort = d.SourcePort;
        ushort destinationPort = d.DestinationPort;
        if (d.Protocol is IpProtocol.Tcp or IpProtocol.Udp && d.TransportOffset > 0 && d.TransportOffset + 4 <= frame.Length)
        {
            sourcePort = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(d.TransportOffset));
            destinationPort = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(d.TransportOffset + 2));
        }

        return new(d.Protocol, BinaryPrimitives.ReadUInt32BigEndian(ip[Ipv4Header.SourceOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(ip[Ipv4Header.DestinationOffset..]), sourcePort, destinationPort, (byte)d.IcmpType);
    }
}
