using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Frames;

/// <summary>
/// Which frames must leave in the order they were captured: one key per flow, from the dissection taken at
/// capture, before any decision rewrites the frame (a key taken afterwards would put a flow's later frames in
/// another queue). Collisions only order unrelated frames; they never reorder.
/// </summary>
public static class FlowOrderKey
{
    private const ulong GoldenRatio = 0x9E3779B97F4A7C15UL;

    /// <summary>
    /// Protocol, addresses and what tells the protocol's flows apart: ports (TCP, UDP, so NAT-T's IKE and ESP share
    /// one order), SPI (ESP, AH), ICMP type and query identifier, GRE Call ID. A fragment after the first carries
    /// no transport header: its datagram's fragments share the key of that datagram's addresses and protocol.
    /// </summary>
    public static ulong Of(in Dissection d)
    {
        ulong addresses = (ulong)d.Source << 32 | d.Destination;
        uint transport = d.Protocol switch
        {
            IpProtocol.Tcp or IpProtocol.Udp => (uint)d.SourcePort << 16 | d.DestinationPort,
            IpProtocol.Esp or IpProtocol.Ah => d.Spi,
            IpProtocol.Icmp => (uint)d.IcmpType << 16 | d.IcmpIdentifier,
            IpProtocol.Gre => d.GreCallId,
            _ => 0,
        };
        return addresses ^ (((ulong)d.Protocol << 32 | transport) * GoldenRatio);
    }
}
