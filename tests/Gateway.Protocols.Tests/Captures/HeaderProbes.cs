using VpnMasq.Protocols.Ah;
using VpnMasq.Protocols.Esp;
using VpnMasq.Protocols.Gre;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>
/// Runs one header type's Parse over a span. On Ok it reads every property of the view — so a
/// view that would index past its span throws here — and reports the length the header declares
/// it needs: the shortest span its Parse should accept. Otherwise the declared length is -1.
/// </summary>
internal delegate ParseStatus HeaderProbe(ReadOnlySpan<byte> bytes, out int declaredLength);

internal static class HeaderProbes
{
    public static ParseStatus Ethernet(ReadOnlySpan<byte> bytes, out int declared)
    {
        var status = EthernetHeader.Parse(bytes, out var h);
        declared = status != ParseStatus.Ok ? -1
            : Touch(h.Destination.Length + h.Source.Length + h.VlanId + h.EtherType + (h.HasVlanTag ? 1 : 0), h.Length);
        return status;
    }

    public static ParseStatus LinuxCooked(ReadOnlySpan<byte> bytes, out int declared)
    {
        var status = LinuxCookedHeader.Parse(bytes, out var h);
        declared = status != ParseStatus.Ok ? -1
            : Touch(h.PacketType + h.HardwareType + h.AddressLength + h.Address.Length + h.Protocol, LinuxCookedHeader.Length);
        return status;
    }

    /// <summary>IPv4 declares its Total Length: Parse wants the whole datagram.</summary>
    public static ParseStatus Ipv4(ReadOnlySpan<byte> bytes, out int declared)
    {
        var status = Ipv4Header.Parse(bytes, out var h);
        declared = status != ParseStatus.Ok ? -1
            : Touch(h.HeaderLength + h.TypeOfService + h.Identification + h.FragmentOffsetBytes + h.TimeToLive + h.Protocol
                + h.Checksum + (int)(h.Source ^ h.Destination) + h.Options.Length + h.Packet.Length + h.Payload.Length
                + (h.DontFragment ? 1 : 0) + (h.MoreFragments ? 1 : 0) + (h.IsFragment ? 1 : 0) + (h.ChecksumValid ? 1 : 0),
                h.TotalLength);
        return status;
    }

    public static ParseStatus Tcp(ReadOnlySpan<byte> bytes, out int declared)
    {
        var status = TcpHeader.Parse(bytes, out var h);
        declared = status != ParseStatus.Ok ? -1
            : Touch(h.SourcePort + h.DestinationPort + (int)(h.SequenceNumber ^ h.AcknowledgmentNumber) + (int)h.Flags + h.Window
                + h.Checksum + h.UrgentPointer + h.Options.Length + h.Payload.Length + (h.Has(TcpFlags.Ack) ? 1 : 0), h.HeaderLength);
        return status;
    }

    /// <summary>UDP declares its Length field (not a fragment here: these are whole datagrams).</summary>
    public static ParseStatus Udp(ReadOnlySpan<byte> bytes, out int declared)
    {
        var status = UdpHeader.Parse(bytes, out var h);
        declared = status != ParseStatus.Ok ? -1
            : Touch(h.SourcePort + h.DestinationPort + h.Checksum + h.Payload.Length + (h.HasChecksum ? 1 : 0), h.DatagramLength);
        return status;
    }

    /// <summary>ICMP needs 8 bytes; an error (RFC 792) also the quoted IP header and 8 bytes after it.</summary>
    public static ParseStatus Icmp(ReadOnlySpan<byte> bytes, out int declared)
    {
        var status = IcmpHeader.Parse(bytes, out var h);
        declared = status != ParseStatus.Ok ? -1
            : Touch((int)h.Type + h.Code + h.Checksum + h.Identifier + h.SequenceNumber + h.Body.Length + h.OffendingDatagram.Length
                + (h.IsQuery ? 1 : 0), h.IsError ? IcmpHeader.Length + ((h.Body[0] & 0x0F) * 4) + 8 : IcmpHeader.Length);
        return status;
    }

    public static ParseStatus Esp(ReadOnlySpan<byte> bytes, out int declared)
    {
        var status = EspHeader.Parse(bytes, out var h);
        declared = status != ParseStatus.Ok ? -1 : Touch((int)(h.Spi ^ h.SequenceNumber) + h.Payload.Length, EspHeader.Length);
        return status;
    }

    public static ParseStatus Ah(ReadOnlySpan<byte> bytes, out int declared)
    {
        var status = AhHeader.Parse(bytes, out var h);
        declared = status != ParseStatus.Ok ? -1 : Touch(h.NextHeader + (int)(h.Spi ^ h.SequenceNumber), h.HeaderLength);
        return status;
    }

    /// <summary>ISAKMP declares the whole message in its Length field.</summary>
    public static ParseStatus Isakmp(ReadOnlySpan<byte> bytes, out int declared)
    {
        var status = IsakmpHeader.Parse(bytes, out var h);
        declared = status != ParseStatus.Ok ? -1
            : Touch((int)(h.InitiatorCookie ^ h.ResponderCookie) + h.NextPayload + h.MajorVersion + h.MinorVersion + h.ExchangeType
                + h.Flags + (int)h.MessageId + (h.IsFromOriginalInitiator ? 1 : 0) + (h.IsResponse ? 1 : 0), (int)h.MessageLength);
        return status;
    }

    /// <summary>GRE declares its optional fields; version 1 also the PPP payload after them.</summary>
    public static ParseStatus Gre(ReadOnlySpan<byte> bytes, out int declared)
    {
        var status = GreHeader.Parse(bytes, out var h);
        declared = status != ParseStatus.Ok ? -1
            : Touch(h.Version + h.ProtocolType + h.Checksum + (int)(h.Key ^ h.SequenceNumber ^ h.AcknowledgmentNumber) + h.KeyOffset
                + h.Payload.Length + (h.HasRouting ? 1 : 0), h.Version == 1 ? h.Length + h.PayloadLength : h.Length);
        return status;
    }

    public static ParseStatus Pptp(ReadOnlySpan<byte> bytes, out int declared)
    {
        var status = PptpControlMessage.Parse(bytes, out var m);
        declared = status != ParseStatus.Ok ? -1 : Touch((int)m.Type + m.CallId + m.PeerCallId + m.Layout.Length, m.Length);
        return status;
    }

    /// <summary>Takes the sum of every property read (evaluated by the caller) and returns the declared length.</summary>
    private static int Touch(long propertyReads, int declared)
    {
        _ = propertyReads;
        return declared;
    }
}

internal static class Prefixes
{
    /// <summary>
    /// Runs <paramref name="probe"/> over every prefix of <paramref name="bytes"/>, the whole span
    /// included. They must read TooShort up to some length and, from there on, exactly what the
    /// whole span reads; when that is Ok, the switch must come at the declared length. Returns a
    /// description of the first violation, or null.
    /// </summary>
    public static string? FirstProblem(ReadOnlySpan<byte> bytes, HeaderProbe probe)
    {
        var whole = probe(bytes, out int declared);
        int firstComplete = -1;
        for (int length = 0; length <= bytes.Length; length++)
        {
            var status = probe(bytes[..length], out int seen);
            if (status == ParseStatus.TooShort)
            {
                if (firstComplete >= 0)
                    return $"TooShort at {length} bytes after {whole} at {firstComplete}";
                continue;
            }

            if (firstComplete < 0)
                firstComplete = length;
            if (status != whole || seen != declared)
                return $"{status} (declaring {seen}) at {length} bytes, but {whole} (declaring {declared}) for all {bytes.Length}";
        }

        if (whole == ParseStatus.Ok && firstComplete != declared)
            return $"first accepted at {firstComplete} bytes, but the header declares {declared}";
        return whole == ParseStatus.TooShort ? $"TooShort even with all {bytes.Length} bytes" : null;
    }
}
