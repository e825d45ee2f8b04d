using VpnMasq.Protocols.Ah;
using VpnMasq.Protocols.Esp;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Gre;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Pptp;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>A capture's frames with their dissections.</summary>
internal sealed record DissectedFrame(CaptureRecord Record, Dissection Dissection)
{
    public int Number => Record.FrameNumber;

    /// <summary>The IPv4 datagram (without link padding) as the dissector located it.</summary>
    public ReadOnlySpan<byte> Datagram => Record.Data.AsSpan(Dissection.NetworkOffset, Dissection.IpTotalLength);

    /// <summary>From the transport (ESP, AH, GRE, UDP, TCP) header to the end of the datagram.</summary>
    public ReadOnlySpan<byte> Transport => Record.Data.AsSpan(Dissection.TransportOffset..Dissection.NetworkEnd);

    /// <summary>From what the transport carries to the end of the datagram.</summary>
    public ReadOnlySpan<byte> Application => Record.Data.AsSpan(Dissection.ApplicationOffset..Dissection.NetworkEnd);

    public byte TimeToLive
    {
        get
        {
            Assert.Equal(ParseStatus.Ok, Ipv4Header.Parse(Datagram, out var ip));
            return ip.TimeToLive;
        }
    }

    public static IReadOnlyList<DissectedFrame> Of(string file) =>
        [.. SharedCaptures.Read(file).Select(r => new DissectedFrame(r, FrameDissector.Dissect(r.LinkType, r.Data)))];
}

// One row per frame, in the order and units of the tshark columns each test quotes.
internal sealed record IkeRow(int Frame, ushort IpId, byte Ttl, ushort SourcePort, ushort DestinationPort,
    ulong InitiatorSpi, ulong ResponderSpi, byte Version, byte ExchangeType, byte Flags, uint MessageId, uint Length)
{
    /// <summary>Every frame the dissector calls ISAKMP (port 500, or 4500 after the non-ESP marker).</summary>
    public static IReadOnlyList<IkeRow> Of(string file) =>
        [.. DissectedFrame.Of(file).Where(f => f.Dissection.Kind is FrameKind.Isakmp or FrameKind.NatTIsakmp).Select(From)];

    private static IkeRow From(DissectedFrame f)
    {
        var d = f.Dissection;
        Assert.Equal(ParseStatus.Ok, IsakmpHeader.Parse(f.Application, out var ike));
        return new IkeRow(f.Number, d.IpIdentification, f.TimeToLive, d.SourcePort, d.DestinationPort,
            d.InitiatorCookie, d.ResponderCookie, (byte)((d.IsakmpMajorVersion << 4) | ike.MinorVersion),
            ike.ExchangeType, ike.Flags, ike.MessageId, ike.MessageLength);
    }
}

/// <summary>ESP, raw (ports 0) or UDP-encapsulated.</summary>
internal sealed record EspRow(int Frame, ushort IpId, byte Ttl, int IpLength, ushort SourcePort, ushort DestinationPort, uint Spi, uint Sequence)
{
    public static IReadOnlyList<EspRow> Of(string file) =>
        [.. DissectedFrame.Of(file).Where(f => f.Dissection.Kind is FrameKind.Esp or FrameKind.NatTEsp).Select(From)];

    private static EspRow From(DissectedFrame f)
    {
        var d = f.Dissection;
        var espBytes = d.Kind == FrameKind.Esp ? f.Transport : f.Application;
        Assert.Equal(ParseStatus.Ok, EspHeader.Parse(espBytes, out var esp));
        return new EspRow(f.Number, d.IpIdentification, f.TimeToLive, d.IpTotalLength, d.SourcePort, d.DestinationPort, d.Spi, esp.SequenceNumber);
    }
}

/// <summary>AH; <see cref="PayloadLength"/> is the raw field, in 32-bit words minus 2.</summary>
internal sealed record AhRow(int Frame, ushort IpId, byte Ttl, int IpLength, byte NextHeader, int PayloadLength, uint Spi, uint Sequence)
{
    public static IReadOnlyList<AhRow> Of(string file) =>
        [.. DissectedFrame.Of(file).Where(f => f.Dissection.Kind == FrameKind.Ah).Select(From)];

    private static AhRow From(DissectedFrame f)
    {
        var d = f.Dissection;
        Assert.Equal(ParseStatus.Ok, AhHeader.Parse(f.Transport, out var ah));
        return new AhRow(f.Number, d.IpIdentification, f.TimeToLive, d.IpTotalLength, ah.NextHeader, (ah.HeaderLength / 4) - 2, d.Spi, ah.SequenceNumber);
    }
}

/// <summary>
/// Enhanced GRE (version 1). <see cref="FlagsAndVersion"/> is rebuilt from the parsed C/R/K/S/A
/// flags and version, so it equals tshark's gre.flags_and_version when no other bit is set.
/// </summary>
internal sealed record GreV1Row(int Frame, ushort IpId, byte Ttl, int IpLength, int FlagsAndVersion,
    ushort PayloadLength, ushort CallId, uint? Sequence, uint? Acknowledgment)
{
    public static IReadOnlyList<GreV1Row> Of(string file) =>
        [.. DissectedFrame.Of(file).Where(f => f.Dissection.Kind == FrameKind.Gre && f.Dissection.GreVersion == 1).Select(From)];

    private static GreV1Row From(DissectedFrame f)
    {
        var d = f.Dissection;
        Assert.Equal(ParseStatus.Ok, GreHeader.Parse(f.Transport, out var gre));
        return new GreV1Row(f.Number, d.IpIdentification, f.TimeToLive, d.IpTotalLength, GreRows.FlagsAndVersion(gre),
            gre.PayloadLength, d.GreCallId, gre.HasSequence ? gre.SequenceNumber : null,
            gre.HasAcknowledgment ? gre.AcknowledgmentNumber : null);
    }
}

/// <summary>GRE version 0 (RFC 2784/2890), the outer header only.</summary>
internal sealed record GreV0Row(int Frame, ushort IpId, byte Ttl, int IpLength, int FlagsAndVersion, ushort ProtocolType, uint? Key, ushort? Checksum)
{
    public static IReadOnlyList<GreV0Row> Of(string file) =>
        [.. DissectedFrame.Of(file).Where(f => f.Dissection.Kind == FrameKind.Gre && f.Dissection.GreVersion == 0).Select(From)];

    private static GreV0Row From(DissectedFrame f)
    {
        var d = f.Dissection;
        Assert.Equal(ParseStatus.Ok, GreHeader.Parse(f.Transport, out var gre));
        return new GreV0Row(f.Number, d.IpIdentification, f.TimeToLive, d.IpTotalLength, GreRows.FlagsAndVersion(gre),
            gre.ProtocolType, gre.HasKey ? gre.Key : null, gre.HasChecksum ? gre.Checksum : null);
    }
}

internal static class GreRows
{
    public static int FlagsAndVersion(GreHeader gre) =>
        (gre.HasChecksum ? 0x8000 : 0) | (gre.HasRouting ? 0x4000 : 0) | (gre.HasKey ? 0x2000 : 0)
        | (gre.HasSequence ? 0x1000 : 0) | (gre.HasAcknowledgment ? 0x0080 : 0) | gre.Version;
}

/// <summary>One PPTP control message; a null Call ID means the message type carries none.</summary>
internal sealed record PptpRow(int Frame, ushort SourcePort, ushort Length, PptpControlType Type, ushort? CallId, ushort? PeerCallId)
{
    /// <summary>
    /// Every control message in the TCP payloads on port 1723, walking each segment by the
    /// messages' Length fields. A segment that does not split into whole messages fails the test.
    /// </summary>
    public static IReadOnlyList<PptpRow> Of(string file)
    {
        var rows = new List<PptpRow>();
        foreach (var f in DissectedFrame.Of(file))
        {
            var d = f.Dissection;
            if (d.Kind != FrameKind.Tcp || (d.SourcePort != PptpControlMessage.TcpPort && d.DestinationPort != PptpControlMessage.TcpPort))
                continue;
            var payload = f.Application;
            while (!payload.IsEmpty)
            {
                Assert.Equal(ParseStatus.Ok, PptpControlMessage.Parse(payload, out var message));
                rows.Add(new PptpRow(f.Number, d.SourcePort, message.Length, message.Type,
                    message.HasCallId ? message.CallId : null, message.HasPeerCallId ? message.PeerCallId : null));
                payload = payload[message.Length..];
            }
        }

        return rows;
    }
}
