using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Rewriting;

namespace VpnMasq.Protocols.Masquerade;

// ICMP queries are masqueraded by identifier; ICMP errors follow the mapping of the datagram they quote.
public sealed partial class PeerState
{
    private Verdict OutboundIcmp(byte[] frame, in Dissection d, TimeSpan now)
    {
        if (IcmpTypes.IsError(d.IcmpType))
            return OutboundIcmpError(frame, d);
        if (!IcmpTypes.IsQueryRequest(d.IcmpType))
            return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, Remote, d.Source);
        var mapping = Icmp.FindOutbound(d.Source, d.IcmpIdentifier);
        if (mapping is not null && now - mapping.LastSeen > Options.Ports.IcmpLifetime)
        {
            Emit(new IcmpUnmapped(now, mapping.PublicId, RemovalCause.Expired));
            mapping = null;
        }

        if (mapping is null)
        {
            if (!MakeRoom(now))
                return Verdict.Drop(DropReason.TableFull, ProtocolLabel.Icmp, Remote, d.Source);
            if (Icmp.ChoosePublicId(d.IcmpIdentifier) is not { } publicId)
                return Verdict.Drop(DropReason.PortsExhausted, ProtocolLabel.Icmp, Remote, d.Source);
            Emit(new IcmpMapped(now, d.Source, d.IcmpIdentifier, publicId));
            mapping = Icmp.FindOutbound(d.Source, d.IcmpIdentifier)!;
        }

        mapping.LastSeen = now;
        var datagram = Datagram(frame, d);
        PacketRewriter.SetSourceAddress(datagram, PublicAddress);
        if (mapping.PublicId != d.IcmpIdentifier)
            PacketRewriter.SetIcmpIdentifier(datagram, mapping.PublicId);
        return Verdict.Send(ProtocolLabel.Icmp, Remote, mapping.Inside, Side.Outside);
    }

    private Verdict InboundIcmp(byte[] frame, in Dissection d, TimeSpan now)
    {
        if (IcmpTypes.IsError(d.IcmpType))
            return InboundIcmpError(frame, d);
        if (IcmpTypes.IsQueryRequest(d.IcmpType) || Icmp.FindInbound(d.IcmpIdentifier) is not { } mapping)
            return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, Remote);
        mapping.LastSeen = now;
        var datagram = Datagram(frame, d);
        PacketRewriter.SetDestinationAddress(datagram, mapping.Inside);
        if (mapping.PublicId != mapping.InsideId)
            PacketRewriter.SetIcmpIdentifier(datagram, mapping.InsideId);
        return Verdict.Send(ProtocolLabel.Icmp, Remote, mapping.Inside, Side.Inside);
    }

    /// <summary>
    /// An error from the internet about a datagram we sent: the quoted datagram has the public
    /// address and port as its source. Rewrite the quote back to the inside host, then the outer header.
    /// The peer of an inbound error is the quoted destination (the gateway front routes it so).
    /// </summary>
    private Verdict InboundIcmpError(byte[] frame, in Dissection d)
    {
        var datagram = Datagram(frame, d);
        var quote = datagram[(d.IpHeaderLength + IcmpHeader.Length)..];
        if (!TryReadQuote(quote, out byte protocol, out int quoteHeader, out ushort quotedPort))
            return Verdict.Drop(DropReason.Malformed, ProtocolLabel.Icmp, Remote);

        // Only a datagram that left through the gateway has the public address as its source: an error quoting any
        // other source is about nothing we sent, however well its ports match a mapping.
        if (BinaryPrimitives.ReadUInt32BigEndian(quote[Ipv4Header.SourceOffset..]) != PublicAddress)
            return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, Remote);
        uint inside;
        ushort insidePort;
        if (protocol is IpProtocol.Tcp or IpProtocol.Udp)
        {
            ushort remotePort = BinaryPrimitives.ReadUInt16BigEndian(quote[(quoteHeader + 2)..]);
            if (Ports.FindInbound(protocol, quotedPort, remotePort) is not { } mapping)
                return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, Remote);
            // An error is no sign of life (conntrack does not refresh on RELATED either): spoofed errors must not keep a mapping open.
            (inside, insidePort) = (mapping.Inside, mapping.InsidePort);
        }
        else if (protocol == IpProtocol.Icmp && Icmp.FindInbound(quotedPort) is { } icmp)
        {
            (inside, insidePort) = (icmp.Inside, icmp.InsideId);
        }
        else if (protocol == IpProtocol.Esp && Esp.FindSender(BinaryPrimitives.ReadUInt32BigEndian(quote[quoteHeader..])) is { } esp)
        {
            // An error about ESP we sent (protocol unreachable, fragmentation needed: path MTU matters to IPsec)
            // goes to the host that owns the quoted outbound SPI. ESP has no port: only the address changes.
            (inside, insidePort) = (esp.Inside, 0);
        }
        else
        {
            return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, Remote);
        }

        RewriteQuote(quote, protocol, quoteHeader, source: true, inside, insidePort);
        PacketRewriter.SetDestinationAddress(datagram, inside);
        FixIcmpChecksum(datagram, d.IpHeaderLength);
        return Verdict.Send(ProtocolLabel.Icmp, Remote, inside, Side.Inside);
    }

    /// <summary>An error an inside host sends about a datagram it received through a mapping or forward.</summary>
    private Verdict OutboundIcmpError(byte[] frame, in Dissection d)
    {
        var datagram = Datagram(frame, d);
        var quote = datagram[(d.IpHeaderLength + IcmpHeader.Length)..];
        if (!TryReadQuote(quote, out byte protocol, out int quoteHeader, out ushort insidePort))
            return Verdict.Drop(DropReason.Malformed, ProtocolLabel.Icmp, Remote, d.Source);
        ushort publicPort = insidePort;
        if (protocol is IpProtocol.Tcp or IpProtocol.Udp)
        {
            // The quoted datagram went remote -> inside, so its destination port is the inside one.
            insidePort = BinaryPrimitives.ReadUInt16BigEndian(quote[(quoteHeader + 2)..]);
            ushort remotePort = BinaryPrimitives.ReadUInt16BigEndian(quote[quoteHeader..]);
            if (Ports.FindOutbound(protocol, d.Source, insidePort, remotePort) is not { } mapping)
                return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, Remote, d.Source);
            publicPort = mapping.PublicPort;
        }
        else if (protocol == IpProtocol.Icmp)
        {
            // A query reply the host received carries its own identifier; the remote knows the public one.
            if (Icmp.FindOutbound(d.Source, insidePort) is not { } query)
                return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, Remote, d.Source);
            publicPort = query.PublicId;
        }
        else if (!ReceivedThroughMapping(protocol, quote[quoteHeader..], d.Source))
        {
            // Otherwise any inside host could send the remote errors about another host's ESP SA or PPTP call.
            return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Icmp, Remote, d.Source);
        }

        RewriteQuote(quote, protocol, quoteHeader, source: false, PublicAddress, publicPort);
        PacketRewriter.SetSourceAddress(datagram, PublicAddress);
        FixIcmpChecksum(datagram, d.IpHeaderLength);
        return Verdict.Send(ProtocolLabel.Icmp, Remote, d.Source, Side.Outside);
    }

    /// <summary>
    /// Whether <paramref name="inside"/> can have received the quoted ESP or GRE datagram from this peer: the SPI is one
    /// of its associations' inbound SPIs, the GRE key one of its calls (after translation), or a protocol forward targets it.
    /// </summary>
    private bool ReceivedThroughMapping(byte protocol, ReadOnlySpan<byte> quotedPayload, uint inside)
    {
        if (_settings.FindProtocolForward(protocol) is { } forward && forward.TargetAddress == inside)
            return true;
        if (protocol == IpProtocol.Esp)
            return Esp.FindInbound(BinaryPrimitives.ReadUInt32BigEndian(quotedPayload)) is { } entry && entry.Inside == inside;
        if (protocol == IpProtocol.Gre)
        {
            ushort key = BinaryPrimitives.ReadUInt16BigEndian(quotedPayload[6..]);
            return Calls.Calls.Any(c => c.Inside == inside && c.CallId == key);
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

    /// <summary>Other IP protocols are forwarded out with the public address (the HOWTO's MASQ of "-p all").</summary>
    private Verdict OutboundOtherProtocol(byte[] frame, in Dissection d)
    {
        if (d.Kind == FrameKind.Fragment)
            return Verdict.Drop(DropReason.FragmentInvalid, ProtocolLabel.Other, Remote, d.Source);

        // No table holds a mapping for this protocol, so its replies could never come back: refused, and said so.
        return Verdict.Drop(DropReason.UnsupportedProtocol, ProtocolLabel.Other, Remote, d.Source);
    }

    private Verdict InboundOtherProtocol(byte[] frame, in Dissection d)
    {
        if (_settings.FindProtocolForward(d.Protocol) is not { } forward)
            return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Other, Remote);
        PacketRewriter.SetDestinationAddress(Datagram(frame, d), forward.TargetAddress);
        return Verdict.Send(ProtocolLabel.Other, Remote, forward.TargetAddress, Side.Inside);
    }
}
