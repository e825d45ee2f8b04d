using VpnMasq.Protocols.Ah;
using VpnMasq.Protocols.Esp;
using VpnMasq.Protocols.Gre;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Protocols.Frames;

/// <summary>
/// Walks a captured frame from the link layer down to the VPN protocol the gateway cares
/// about, without allocating. Never throws on wire data; a bad layer is reported in the result.
/// </summary>
public static class FrameDissector
{
    public const ushort IsakmpPort = 500;

    public static Dissection Dissect(LinkType linkType, ReadOnlySpan<byte> frame)
    {
        var d = default(Dissection);
        if (!LocateNetwork(linkType, frame, ref d))
            return d;
        if (d.EtherType != EtherType.Ipv4)
        {
            d.Kind = FrameKind.NotIpv4;
            return d;
        }

        var status = Ipv4Header.Parse(frame[d.NetworkOffset..], out var ip);
        if (status != ParseStatus.Ok)
        {
            Fail(ref d, status == ParseStatus.Unsupported ? ParseStatus.Malformed : status, FrameLayer.Network);
            return d;
        }

        d.IpHeaderLength = ip.HeaderLength;
        d.IpTotalLength = ip.TotalLength;
        d.Protocol = ip.Protocol;
        d.Source = ip.Source;
        d.Destination = ip.Destination;
        d.IpIdentification = ip.Identification;
        d.IsFragment = ip.IsFragment;
        d.DontFragment = ip.DontFragment;
        d.TransportOffset = d.NetworkOffset + ip.HeaderLength;
        if (ip.FragmentOffsetBytes != 0)
        {
            d.Kind = FrameKind.Fragment;
            return d;
        }

        DissectTransport(ip.Payload, ip.IsFragment, ref d);
        return d;
    }

    private static bool LocateNetwork(LinkType linkType, ReadOnlySpan<byte> frame, ref Dissection d)
    {
        switch (linkType)
        {
            case LinkType.Ethernet:
                {
                    var status = EthernetHeader.Parse(frame, out var eth);
                    if (status == ParseStatus.Unsupported)
                    {
                        d.Kind = FrameKind.NotIpv4;
                        return false;
                    }

                    if (status != ParseStatus.Ok)
                        return Fail(ref d, status, FrameLayer.Link);
                    d.EtherType = eth.EtherType;
                    d.NetworkOffset = eth.Length;
                    return true;
                }

            case LinkType.LinuxCooked:
                {
                    var status = LinuxCookedHeader.Parse(frame, out var sll);
                    if (status != ParseStatus.Ok)
                        return Fail(ref d, status, FrameLayer.Link);
                    d.EtherType = sll.Protocol;
                    d.NetworkOffset = LinuxCookedHeader.Length;
                    return true;
                }

            case LinkType.Null:
                {
                    // BSD loopback: a 4-byte address family in the capturing host's byte order.
                    if (frame.Length < 4)
                        return Fail(ref d, ParseStatus.TooShort, FrameLayer.Link);
                    uint family = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(frame);
                    if (family > 0xFFFF)
                        family = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(family);
                    d.EtherType = family == 2 ? EtherType.Ipv4 : EtherType.Ipv6;
                    d.NetworkOffset = 4;
                    return true;
                }

            case LinkType.Raw:
            case LinkType.Ipv4:
                if (frame.Length < 1)
                    return Fail(ref d, ParseStatus.TooShort, FrameLayer.Link);
                d.EtherType = frame[0] >> 4 == 4 ? EtherType.Ipv4 : EtherType.Ipv6;
                return true;

            default:
                return Fail(ref d, ParseStatus.Unsupported, FrameLayer.Link);
        }
    }

    private static void DissectTransport(ReadOnlySpan<byte> payload, bool isFirstFragment, ref Dissection d)
    {
        switch (d.Protocol)
        {
            case IpProtocol.Tcp:
                {
                    var status = TcpHeader.Parse(payload, out var tcp);
                    if (status != ParseStatus.Ok)
                    {
                        ReadPorts(payload, ref d);
                        Fail(ref d, status, FrameLayer.Transport);
                        return;
                    }

                    d.Kind = FrameKind.Tcp;
                    d.SourcePort = tcp.SourcePort;
                    d.DestinationPort = tcp.DestinationPort;
                    d.TcpFlags = tcp.Flags;
                    d.ApplicationOffset = d.TransportOffset + tcp.HeaderLength;
                    return;
                }

            case IpProtocol.Udp:
                DissectUdp(payload, isFirstFragment, ref d);
                return;

            case IpProtocol.Icmp:
                {
                    var status = IcmpHeader.Parse(payload, out var icmp);
                    if (status != ParseStatus.Ok)
                    {
                        if (payload.Length > 0)
                            d.IcmpType = (Icmp.IcmpType)payload[0];
                        Fail(ref d, status, FrameLayer.Transport);
                        return;
                    }

                    d.Kind = FrameKind.Icmp;
                    d.IcmpType = icmp.Type;
                    d.IcmpIdentifier = icmp.IsQuery ? icmp.Identifier : (ushort)0;
                    if (icmp.IsError)
                        d.QuotedDestination = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(icmp.OffendingDatagram[16..]);
                    d.ApplicationOffset = d.TransportOffset + IcmpHeader.Length;
                    return;
                }

            case IpProtocol.Esp:
                {
                    var status = EspHeader.Parse(payload, out var esp);
                    if (status != ParseStatus.Ok)
                    {
                        Fail(ref d, status, FrameLayer.Transport);
                        return;
                    }

                    d.Kind = FrameKind.Esp;
                    d.Spi = esp.Spi;
                    d.ApplicationOffset = d.TransportOffset + EspHeader.Length;
                    return;
                }

            case IpProtocol.Ah:
                {
                    var status = AhHeader.Parse(payload, out var ah);
                    if (status != ParseStatus.Ok)
                    {
                        Fail(ref d, status, FrameLayer.Transport);
                        return;
                    }

                    d.Kind = FrameKind.Ah;
                    d.Spi = ah.Spi;
                    d.ApplicationOffset = d.TransportOffset + ah.HeaderLength;
                    return;
                }

            case IpProtocol.Gre:
                {
                    var status = GreHeader.Parse(payload, out var gre, isFirstFragment);
                    if (status != ParseStatus.Ok)
                    {
                        Fail(ref d, status, FrameLayer.Transport);
                        return;
                    }

                    d.Kind = FrameKind.Gre;
                    d.GreVersion = (byte)gre.Version;
                    d.GreCallId = gre.Version == 1 ? gre.CallId : (ushort)0;
                    d.ApplicationOffset = d.TransportOffset + gre.Length;
                    return;
                }

            default:
                d.Kind = FrameKind.OtherIp;
                return;
        }
    }

    private static void DissectUdp(ReadOnlySpan<byte> payload, bool isFirstFragment, ref Dissection d)
    {
        var status = UdpHeader.Parse(payload, out var udp, isFirstFragment);
        if (status != ParseStatus.Ok)
        {
            ReadPorts(payload, ref d);
            Fail(ref d, status, FrameLayer.Transport);
            return;
        }

        d.Kind = FrameKind.Udp;
        d.SourcePort = udp.SourcePort;
        d.DestinationPort = udp.DestinationPort;
        d.ApplicationOffset = d.TransportOffset + UdpHeader.Length;

        // The rest of a fragmented datagram is not here; its ISAKMP header is read after reassembly.
        if (isFirstFragment)
            return;
        var data = udp.Payload;
        if (d.SourcePort == NatTraversal.Port || d.DestinationPort == NatTraversal.Port)
        {
            status = NatTraversal.Classify(data, out var natT);
            if (status != ParseStatus.Ok)
            {
                Fail(ref d, status, FrameLayer.Application);
                return;
            }

            switch (natT)
            {
                case NatTPayloadKind.Keepalive:
                    d.Kind = FrameKind.NatTKeepalive;
                    return;
                case NatTPayloadKind.Esp:
                    d.Kind = FrameKind.NatTEsp;
                    d.Spi = EspHeaderSpi(data);
                    return;
                default:
                    d.ApplicationOffset += NatTraversal.NonEspMarkerLength;
                    ReadIsakmp(data[NatTraversal.NonEspMarkerLength..], FrameKind.NatTIsakmp, ref d);
                    return;
            }
        }

        // The masquerade treats only 500→500 as ISAKMP (RFC 2408 §2.5.1 keeps port 500 at both ends). Port 500 at one
        // end is read as ISAKMP when it is ISAKMP (a client behind another NAT), but otherwise it is an ordinary
        // datagram, never malformed.
        if (d.SourcePort == IsakmpPort || d.DestinationPort == IsakmpPort)
            ReadIsakmp(data, FrameKind.Isakmp, ref d, required: d.SourcePort == d.DestinationPort);
    }

    /// <summary>
    /// The ports of a TCP or UDP header too broken to parse, when they are there: the firewall judges a frame before
    /// its parse does (DESIGN §3.6), and a rule naming ports must still match it.
    /// </summary>
    private static void ReadPorts(ReadOnlySpan<byte> payload, ref Dissection d)
    {
        if (payload.Length < 4)
            return;
        d.SourcePort = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(payload);
        d.DestinationPort = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
    }

    /// <param name="required">False where the ports only suggest ISAKMP: a payload that is not ISAKMP leaves the datagram plain UDP.</param>
    private static void ReadIsakmp(ReadOnlySpan<byte> data, FrameKind kind, ref Dissection d, bool required = true)
    {
        var status = IsakmpHeader.Parse(data, out var isakmp);
        if (status != ParseStatus.Ok)
        {
            if (required)
                Fail(ref d, status, FrameLayer.Application);
            return;
        }

        d.Kind = kind;
        d.InitiatorCookie = isakmp.InitiatorCookie;
        d.ResponderCookie = isakmp.ResponderCookie;
        d.IsakmpMajorVersion = (byte)isakmp.MajorVersion;
    }

    private static uint EspHeaderSpi(ReadOnlySpan<byte> data) =>
        EspHeader.Parse(data, out var esp) == ParseStatus.Ok ? esp.Spi : 0;

    private static bool Fail(ref Dissection d, ParseStatus status, FrameLayer layer)
    {
        d.Status = status;
        d.FailedLayer = layer;
        return false;
    }
}
