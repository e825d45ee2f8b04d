using VpnMasq.Fuzz.Seeds;
using VpnMasq.Protocols;
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

namespace VpnMasq.Fuzz.Targets;

/// <summary>
/// One target per header parser in Gateway.Protocols. Each parses the input and, when the parser says Ok,
/// reads every field and slice it offers: a header that parses must be safe to read in full.
/// </summary>
internal static class HeaderTargets
{
    public static IEnumerable<FuzzTarget> All =>
    [
        new("ethernet", Ethernet, f => f.AsEthernet()),
        new("linux-cooked", LinuxCooked, LinuxCookedSeed),
        new("ipv4", Ipv4, f => f.Datagram),
        new("tcp", Tcp, f => f.Transport(IpProtocol.Tcp)),
        new("udp", Udp, f => f.Transport(IpProtocol.Udp)),
        new("icmp", Icmp, IcmpSeed),
        new("esp", Esp, f => f.Transport(IpProtocol.Esp)),
        new("ah", Ah, f => f.Transport(IpProtocol.Ah)),
        new("isakmp", Isakmp, IsakmpSeed),
        new("nat-t", NatT, NatTSeed),
        new("gre", Gre, f => f.Transport(IpProtocol.Gre)),
        new("pptp-message", PptpMessage, PptpMessageSeed),
    ];

    private static void Ethernet(ReadOnlySpan<byte> input)
    {
        if (EthernetHeader.Parse(input, out var eth) != ParseStatus.Ok)
            return;
        Sink.Keep(EthernetFields.From(eth));
        Sink.Keep(eth.Length + eth.VlanId + eth.EtherType);
    }

    private static void LinuxCooked(ReadOnlySpan<byte> input)
    {
        if (LinuxCookedHeader.Parse(input, out var sll) != ParseStatus.Ok)
            return;
        Sink.Keep(sll.PacketType + sll.HardwareType + sll.AddressLength + sll.Address.Length + sll.Protocol);
    }

    private static void Ipv4(ReadOnlySpan<byte> input)
    {
        if (Ipv4Header.Parse(input, out var ip) != ParseStatus.Ok)
            return;
        Sink.Keep(Ipv4Fields.From(ip));
        Sink.Keep(ip.Options.Length + ip.Packet.Length + ip.Payload.Length + ip.FragmentOffsetBytes);
        Sink.Keep(ip.ChecksumValid ? 1 : 0);
    }

    private static void Tcp(ReadOnlySpan<byte> input)
    {
        if (TcpHeader.Parse(input, out var tcp) != ParseStatus.Ok)
            return;
        Sink.Keep(TcpFields.From(tcp));
        Sink.Keep(tcp.Options.Length + tcp.Payload.Length + tcp.UrgentPointer);
    }

    private static void Udp(ReadOnlySpan<byte> input)
    {
        // A first fragment may hold less than its Length field says; both readings must be safe.
        foreach (bool fragment in (ReadOnlySpan<bool>)[false, true])
        {
            if (UdpHeader.Parse(input, out var udp, fragment) != ParseStatus.Ok)
                continue;
            Sink.Keep(UdpFields.From(udp));
            Sink.Keep(udp.Payload.Length + (udp.HasChecksum ? 1 : 0));
        }
    }

    private static void Icmp(ReadOnlySpan<byte> input)
    {
        if (IcmpHeader.Parse(input, out var icmp) != ParseStatus.Ok)
            return;
        Sink.Keep(IcmpFields.From(icmp));
        Sink.Keep(icmp.Body.Length + icmp.OffendingDatagram.Length + icmp.Identifier + icmp.SequenceNumber);
        Sink.Keep(icmp.IsQuery ? 1 : icmp.IsError ? 2 : 0);
    }

    private static void Esp(ReadOnlySpan<byte> input)
    {
        if (EspHeader.Parse(input, out var esp) != ParseStatus.Ok)
            return;
        Sink.Keep(EspFields.From(esp));
        Sink.Keep(esp.Payload.Length);
    }

    private static void Ah(ReadOnlySpan<byte> input)
    {
        if (AhHeader.Parse(input, out var ah) != ParseStatus.Ok)
            return;
        Sink.Keep(ah.NextHeader + ah.HeaderLength + ah.Spi + ah.SequenceNumber);
    }

    private static void Isakmp(ReadOnlySpan<byte> input)
    {
        if (IsakmpHeader.Parse(input, out var isakmp) != ParseStatus.Ok)
            return;
        Sink.Keep(IsakmpFields.From(isakmp));
        Sink.Keep((isakmp.IsFromOriginalInitiator ? 1 : 0) + (isakmp.IsResponse ? 2 : 0));
    }

    private static void NatT(ReadOnlySpan<byte> input)
    {
        if (NatTraversal.Classify(input, out var kind) == ParseStatus.Ok)
            Sink.Keep(kind);
    }

    private static void Gre(ReadOnlySpan<byte> input)
    {
        // As for UDP: a first fragment may hold less than its Payload Length says; both readings must be safe.
        foreach (bool fragment in (ReadOnlySpan<bool>)[false, true])
        {
            if (GreHeader.Parse(input, out var gre, fragment) != ParseStatus.Ok)
                continue;
            Sink.Keep(GreFields.From(gre));
            Sink.Keep(gre.Payload.Length + gre.KeyOffset + gre.PayloadLength + gre.CallId + gre.Checksum);
            Sink.Keep((gre.HasRouting ? 1 : 0) + gre.AcknowledgmentNumber + gre.SequenceNumber);
        }
    }

    private static void PptpMessage(ReadOnlySpan<byte> input)
    {
        Sink.Keep(PptpControlMessage.TryPeekLength(input, out int length) ? length : -1);
        if (PptpControlMessage.Parse(input, out var message) != ParseStatus.Ok)
            return;
        Sink.Keep(PptpControlFields.From(message));
        Sink.Keep(message.Length + message.Layout.Length);
    }

    /// <summary>The datagram behind a Linux cooked header, as a capture on "any" would hold it.</summary>
    internal static byte[]? LinuxCookedSeed(SeedFrame frame)
    {
        if (frame.LinkType == LinkType.LinuxCooked)
            return frame.Frame;
        if (frame.Datagram is not { } datagram)
            return null;
        var sll = new byte[LinuxCookedHeader.Length + datagram.Length];
        sll[5] = 6; // a 6-byte (Ethernet) source address
        sll[14] = 0x08; // protocol 0x0800, IPv4
        datagram.CopyTo(sll, LinuxCookedHeader.Length);
        return sll;
    }

    private static byte[]? IsakmpSeed(SeedFrame frame) =>
        frame.Dissection.Kind is Protocols.Frames.FrameKind.Isakmp or Protocols.Frames.FrameKind.NatTIsakmp ? frame.Application : null;

    /// <summary>
    /// The captures hold no plain ICMP, so besides any ICMP message a frame carries, each datagram seeds the
    /// error a router would send about it: Destination Unreachable quoting its header and first 8 bytes (RFC 792).
    /// </summary>
    private static byte[]? IcmpSeed(SeedFrame frame)
    {
        if (frame.Transport(IpProtocol.Icmp) is { } icmp)
            return icmp;
        if (frame.Datagram is not { } datagram)
            return null;
        int quoted = Math.Min(datagram.Length, frame.Dissection.IpHeaderLength + 8);
        var message = new byte[IcmpHeader.Length + quoted];
        new IcmpFields(IcmpType.DestinationUnreachable, 3, 0, 0).WriteTo(message);
        datagram.AsSpan(0, quoted).CopyTo(message.AsSpan(IcmpHeader.Length));
        return message;
    }

    private static byte[]? PptpMessageSeed(SeedFrame frame) =>
        frame.Dissection.Kind == Protocols.Frames.FrameKind.Tcp
        && (frame.Dissection.SourcePort == PptpControlMessage.TcpPort || frame.Dissection.DestinationPort == PptpControlMessage.TcpPort)
        && frame.Application is { Length: > 0 } data
            ? data
            : null;

    private static byte[]? NatTSeed(SeedFrame frame) =>
        frame.Transport(IpProtocol.Udp) is { Length: > UdpHeader.Length } udp
        && (frame.Dissection.SourcePort == NatTraversal.Port || frame.Dissection.DestinationPort == NatTraversal.Port)
            ? udp[UdpHeader.Length..]
            : null;
}
