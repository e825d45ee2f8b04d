using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Peers;
using VpnMasq.Protocols.Rewriting;

namespace VpnMasq.Protocols.Masquerade.Icmp;

/// <summary>ICMP errors follow the mapping of the datagram they quote: its address and port are translated too.</summary>
internal static class IcmpErrorRules
{
    /// <summary>
    /// An error from the internet about a datagram we sent: the quoted datagram has the public
    /// address and port as its source. Rewrite the quote back to the inside host, then the outer header.
    /// The peer of an inbound error is the quoted destination (the gateway front routes it so).
    /// </summary>
    public static Verdict Inbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        var datagram = FlowTranslation.Datagram(frame, d);
        var quote = datagram[(d.IpHeaderLength + IcmpHeader.Length)..];
        if (!TryReadQuote(quote, out byte protocol, out int quoteHeader, out ushort quotedPort))
            return b.Drop(DropReason.Malformed, ProtocolLabel.Icmp);

        // Only a datagram that left through the gateway has the public address as its source: an error quoting any
        // other source is about nothing we sent, however well its ports match a mapping.
        if (BinaryPrimitives.ReadUInt32BigEndian(quote[Ipv4Header.SourceOffset..]) != b.PublicAddress)
            return b.Drop(DropReason.NoMapping, ProtocolLabel.Icmp);
        uint inside;
        ushort insidePort;
        if (protocol is IpProtocol.Tcp or IpProtocol.Udp)
        {
            ushort remotePort = BinaryPrimitives.ReadUInt16BigEndian(quote[(quoteHeader + 2)..]);
            if (b.Peer.Ports.FindInbound(protocol, quotedPort, remotePort) is not { } mapping)
                return b.Drop(DropReason.NoMapping, ProtocolLabel.Icmp);
            // An error is no sign of life (conntrack does not refresh on RELATED either): spoofed errors must not keep a mapping open.
            (inside, insidePort) = (mapping.Inside, mapping.InsidePort);
        }
        else if (protocol == IpProtocol.Icmp && b.Peer.Icmp.FindInbound(quotedPort) is { } icmp)
        {
            (inside, insidePort) = (icmp.Inside, icmp.InsideId);
        }
        else if (protocol == IpProtocol.Esp && b.Esp.FindSender(BinaryPrimitives.ReadUInt32BigEndian(quote[quoteHeader..])) is { } esp)
        {
            // An error about ESP we sent (protocol unreachable, fragmentation needed: path MTU matters to IPsec)
            // goes to the host that owns the quoted outbound SPI. ESP has no port: only the address changes.
            (inside, insidePort) = (esp.Inside, 0);
        }
        else
        {
            return b.Drop(DropReason.NoMapping, ProtocolLabel.Icmp);
        }

        RewriteQuote(quote, protocol, quoteHeader, source: true, inside, insidePort);
        PacketRewriter.SetDestinationAddress(datagram, inside);
        FixIcmpChecksum(datagram, d.IpHeaderLength);
        return b.Send(ProtocolLabel.Icmp, inside, Side.Inside);
    }

    /// <summary>An error an inside host sends about a datagram it received through a mapping or forward.</summary>
    public static Verdict Outbound(PeerDecisionBuilder b, byte[] frame, in Dissection d)
    {
        var datagram = FlowTranslation.Datagram(frame, d);
        var quote = datagram[(d.IpHeaderLength + IcmpHeader.Length)..];
        if (!TryReadQuote(quote, out byte protocol, out int quoteHeader, out ushort insidePort))
            return b.Drop(DropReason.Malformed, ProtocolLabel.Icmp, d.Source);
        ushort publicPort = insidePort;
        if (protocol is IpProtocol.Tcp or IpProtocol.Udp)
        {
            // The quoted datagram went remote -> inside, so its destination port is the inside one.
            insidePort = BinaryPrimitives.ReadUInt16BigEndian(quote[(quoteHeader + 2)..]);
            ushort remotePort = BinaryPrimitives.ReadUInt16BigEndian(quote[quoteHeader..]);
            if (b.Peer.Ports.FindOutbound(protocol, d.Source, insidePort, remotePort) is not { } mapping)
                return b.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, d.Source);
            publicPort = mapping.PublicPort;
        }
        else if (protocol == IpProtocol.Icmp)
        {
            // A query reply the host received carries its own identifier; the remote knows the public one.
            if (b.Peer.Icmp.FindOutbound(d.Source, insidePort) is not { } query)
                return b.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, d.Source);
            publicPort = query.PublicId;
        }
        else if (!ReceivedThroughMapping(b, protocol, quote[quoteHeader..], d.Source))
        {
            // Otherwise any inside host could send the remote errors about another host's ESP SA or PPTP call.
            return b.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, d.Source);
        }

        RewriteQuote(quote, protocol, quoteHeader, source: false, b.PublicAddress, publicPort);
        PacketRewriter.SetSourceAddress(datagram, b.PublicAddress);
        FixIcmpChecksum(datagram, d.IpHeaderLength);
        return b.Send(ProtocolLabel.Icmp, d.Source, Side.Outside);
    }

    /// <summary>
    /// Whether <paramref name="inside"/> can have received the quoted ESP or GRE datagram from this peer: the SPI is one
    /// of its associations' inbound SPIs, the GRE key one of its calls (after translation), or a protocol forward targets it.
    /// </summary>
    private static bool ReceivedThroughMapping(PeerDecisionBuilder b, byte protocol, ReadOnlySpan<byte> quotedPayload, uint inside)
    {
        if (b.Settings.FindProtocolForward(protocol) is { } forward && forward.TargetAddress == inside)
            return true;
        if (protocol == IpProtocol.Esp)
            return b.Esp.FindInbound(BinaryPrimitives.ReadUInt32BigEndian(quotedPayload)) is { } entry && entry.Inside == inside;
        if (protocol == IpProtocol.Gre)
        {
            ushort key = BinaryPrimitives.ReadUInt16BigEndian(quotedPayload[6..]);
            return b.Calls.Calls.Any(c => c.Inside == inside && c.CallId == key);
        }

        return false;
    }

    /// <summary>Reads the quoted datagram's protocol and its source port (TCP/UDP) or ICMP identifier.</summary>
    private static bool TryReadQuote(ReadOnlySpan<byte> quote, out byte protocol, out int headerLength, out ushort sourcePortOrId)
    {
        protocol = 0;
        sourcePortOrId = 0;
        headerLength = quote.Length > 0 ? (quote[0] & 0x0F) * 4 : 0;
        if (headerLength < Ipv4Header.MinLength || quote.Length < headerLength + 8)
            return false;
        protocol = quote[Ipv4Header.ProtocolOffset];
        sourcePortOrId = protocol == IpProtocol.Icmp
            ? BinaryPrimitives.ReadUInt16BigEndian(quote[(headerLength + 4)..])
            : BinaryPrimitives.ReadUInt16BigEndian(quote[headerLength..]);
        return true;
    }

    /// <summary>
    /// Rewrites the quoted datagram's source (inbound errors) or destination (outbound errors) address
    /// and port. Its IP header checksum is fixed; its transport checksum is left alone: only the first
    /// 8 bytes are quoted, so it cannot be verified anyway.
    /// </summary>
    private static void RewriteQuote(Span<byte> quote, byte protocol, int headerLength, bool source, uint address, ushort port)
    {
        int addressOffset = source ? Ipv4Header.SourceOffset : Ipv4Header.DestinationOffset;
        uint old = BinaryPrimitives.ReadUInt32BigEndian(quote[addressOffset..]);
        BinaryPrimitives.WriteUInt32BigEndian(quote[addressOffset..], address);
        ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(quote[Ipv4Header.ChecksumOffset..]);
        BinaryPrimitives.WriteUInt16BigEndian(quote[Ipv4Header.ChecksumOffset..], InternetChecksum.Update(checksum, old, address));
        if (protocol is not (IpProtocol.Tcp or IpProtocol.Udp or IpProtocol.Icmp))
            return;
        int portOffset = protocol == IpProtocol.Icmp ? headerLength + 4 : headerLength + (source ? 0 : 2);
        BinaryPrimitives.WriteUInt16BigEndian(quote[portOffset..], port);
    }

    private static void FixIcmpChecksum(Span<byte> datagram, int headerLength)
    {
        var icmp = datagram[headerLength..];
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], InternetChecksum.Compute(icmp));
    }
}
