using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Gre;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Protocols.Tests.Masquerade;

/// <summary>
/// Ethernet frames for masquerade tests, built with the library's own Fields writers, and readers
/// for what comes out. Every datagram is complete: IP header and transport checksums are filled.
/// </summary>
internal static class TestFrames
{
    public static readonly uint InsideA = Ipv4Address.Parse("10.0.0.2");
    public static readonly uint InsideB = Ipv4Address.Parse("10.0.0.3");
    public static readonly uint Public = Ipv4Address.Parse("200.200.200.200");
    public static readonly uint Remote = Ipv4Address.Parse("199.0.0.1");

    /// <summary>A router on the path to <see cref="Remote"/>, for ICMP errors it reports.</summary>
    public static readonly uint Router = Ipv4Address.Parse("198.51.100.1");

    private const ulong GatewayMac = 0x02_00_00_00_00_01;
    private const ulong HostMac = 0x02_00_00_00_00_02;

    /// <summary>Wraps an IPv4 datagram in an untagged Ethernet II header.</summary>
    public static byte[] Ethernet(ReadOnlySpan<byte> datagram)
    {
        var link = new EthernetFields(GatewayMac, HostMac, EtherType.Ipv4);
        var frame = new byte[link.Length + datagram.Length];
        link.WriteTo(frame);
        datagram.CopyTo(frame.AsSpan(link.Length));
        return frame;
    }

    /// <summary>An IPv4 datagram carrying <paramref name="payload"/>, both checksums filled.</summary>
    public static byte[] Datagram(uint source, uint destination, byte protocol, ReadOnlySpan<byte> payload, ushort identification = 0)
    {
        var ip = new Ipv4Fields(source, destination, protocol, (ushort)(Ipv4Header.MinLength + payload.Length), identification);
        var bytes = new byte[ip.TotalLength];
        ip.WriteTo(bytes);
        payload.CopyTo(bytes.AsSpan(Ipv4Header.MinLength));
        TransportChecksum.Fill(bytes);
        return bytes;
    }

    public static byte[] TcpFrame(uint source, ushort sourcePort, uint destination, ushort destinationPort, TcpFlags flags,
        uint sequence = 0, uint acknowledgment = 0, ReadOnlySpan<byte> data = default)
    {
        var tcp = new TcpFields(sourcePort, destinationPort, sequence, acknowledgment, flags);
        var segment = new byte[tcp.HeaderLength + data.Length];
        tcp.WriteTo(segment);
        data.CopyTo(segment.AsSpan(tcp.HeaderLength));
        return Ethernet(Datagram(source, destination, IpProtocol.Tcp, segment));
    }

    public static byte[] UdpFrame(uint source, ushort sourcePort, uint destination, ushort destinationPort, ReadOnlySpan<byte> data = default) =>
        Ethernet(UdpDatagram(source, sourcePort, destination, destinationPort, data));

    public static byte[] UdpDatagram(uint source, ushort sourcePort, uint destination, ushort destinationPort, ReadOnlySpan<byte> data,
        ushort identification = 0)
    {
        var segment = new byte[UdpHeader.Length + data.Length];
        new UdpFields(sourcePort, destinationPort, (ushort)segment.Length).WriteTo(segment);
        data.CopyTo(segment.AsSpan(UdpHeader.Length));
        return Datagram(source, destination, IpProtocol.Udp, segment, identification);
    }

    public static byte[] EchoFrame(uint source, uint destination, IcmpType type, ushort identifier, ushort sequence = 1)
    {
        var message = new byte[IcmpHeader.Length + 8];
        new IcmpFields(type, 0, identifier, sequence).WriteTo(message);
        return Ethernet(Datagram(source, destination, IpProtocol.Icmp, message));
    }

    /// <summary>An ICMP error quoting the IP header and first 8 payload bytes of <paramref name="offending"/> (RFC 792).</summary>
    public static byte[] IcmpErrorFrame(uint source, uint destination, IcmpType type, byte code, ReadOnlySpan<byte> offending)
    {
        int quoted = Math.Min(offending.Length, ((offending[0] & 0x0F) * 4) + 8);
        var message = new byte[IcmpHeader.Length + quoted];
        new IcmpFields(type, code, 0, 0).WriteTo(message);
        offending[..quoted].CopyTo(message.AsSpan(IcmpHeader.Length));
        return Ethernet(Datagram(source, destination, IpProtocol.Icmp, message));
    }

    /// <summary>Enhanced GRE (RFC 2637 §4.1) with a sequence number and a few bytes of PPP.</summary>
    public static byte[] GreFrame(uint source, uint destination, ushort callId, uint sequence = 1)
    {
        ReadOnlySpan<byte> ppp = [0xFF, 0x03, 0x00, 0x21];
        var gre = GreFields.Enhanced(callId, (ushort)ppp.Length, sequence);
        var packet = new byte[gre.Length + ppp.Length];
        gre.WriteTo(packet);
        ppp.CopyTo(packet.AsSpan(gre.Length));
        return Ethernet(Datagram(source, destination, IpProtocol.Gre, packet));
    }

    public static byte[] EspFrame(uint source, uint destination, uint spi, uint sequence = 1)
    {
        var packet = new byte[8 + 16];
        BinaryPrimitives.WriteUInt32BigEndian(packet, spi);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence);
        return Ethernet(Datagram(source, destination, IpProtocol.Esp, packet));
    }

    /// <summary>An IKEv1 message of <paramref name="length"/> bytes (header plus zero padding).</summary>
    public static byte[] IsakmpMessage(ulong initiatorCookie, ulong responderCookie, int length = IsakmpHeader.Length)
    {
        var message = new byte[length];
        new IsakmpFields(initiatorCookie, responderCookie, 1, 1, 0, 2, 0, 0, (uint)length).WriteTo(message);
        return message;
    }

    /// <summary>
    /// A whole PPTP control message. <paramref name="resultCode"/> goes to offset 16, where the
    /// Outgoing- and Incoming-Call-Reply keep theirs (1 = connected).
    /// </summary>
    public static byte[] PptpMessage(PptpControlType type, ushort callId = 0, ushort peerCallId = 0, byte resultCode = 0)
    {
        var fields = new PptpControlFields(type, callId, peerCallId);
        var message = new byte[fields.Length];
        fields.WriteTo(message);
        if (resultCode != 0)
            message[16] = resultCode;
        return message;
    }

    /// <summary>Cuts a whole datagram into Ethernet frames of fragments of at most <paramref name="mtu"/> bytes (RFC 791 §3.2).</summary>
    public static IReadOnlyList<byte[]> FragmentsOf(byte[] datagram, int mtu)
    {
        var whole = Ipv4Fields.From(Ipv4Header.Parse(datagram, out var header) == ParseStatus.Ok ? header : throw new ArgumentException("bad datagram"));
        var payload = datagram.AsSpan(whole.HeaderLength);
        int size = (mtu - whole.HeaderLength) & ~7;
        var frames = new List<byte[]>();
        for (int offset = 0; offset < payload.Length; offset += size)
        {
            var piece = payload.Slice(offset, Math.Min(size, payload.Length - offset));
            var ip = whole with
            {
                TotalLength = (ushort)(whole.HeaderLength + piece.Length),
                MoreFragments = offset + piece.Length < payload.Length,
                FragmentOffsetBytes = offset,
            };
            var bytes = new byte[ip.TotalLength];
            ip.WriteTo(bytes);
            piece.CopyTo(bytes.AsSpan(ip.HeaderLength));
            frames.Add(Ethernet(bytes));
        }

        return frames;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static Dissection Dissect(byte[] frame) => FrameDissector.Dissect(LinkType.Ethernet, frame);

    /// <summary>The IPv4 datagram inside a frame (without link header or padding).</summary>
    public static byte[] DatagramOf(byte[] frame)
    {
        var d = Dissect(frame);
        return frame.AsSpan(d.NetworkOffset, d.IpTotalLength).ToArray();
    }

    /// <summary>What a TCP or UDP frame carries after its transport header.</summary>
    public static byte[] PayloadOf(byte[] frame)
    {
        var d = Dissect(frame);
        return frame.AsSpan(d.ApplicationOffset, d.NetworkEnd - d.ApplicationOffset).ToArray();
    }

    public static ushort ReadUInt16(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt16BigEndian(bytes[offset..]);
}

/// <summary>
/// A <see cref="SingleProcessGateway"/> driven by test frames. Every frame it sends is checked here: it
/// parses, its IPv4 header and transport checksums are valid, and a rewritten frame keeps its length;
/// every drop carries a reason code.
/// </summary>
internal sealed class GatewayUnderTest(MasqueradeOptions options)
{
    public SingleProcessGateway Gateway { get; } = new(options);

    /// <summary>Every event the gateway reported, in order.</summary>
    public List<PeerEvent> Events { get; } = [];

    /// <summary>The clock: the timestamp of the next frame.</summary>
    public TimeSpan Now { get; set; }

    public static GatewayUnderTest Create(Func<MasqueradeOptions, MasqueradeOptions>? configure = null)
    {
        var options = new MasqueradeOptions { PublicAddress = TestFrames.Public };
        return new GatewayUnderTest(configure is null ? options : configure(options));
    }

    /// <summary>Processes a copy of <paramref name="frame"/> (the caller's bytes stay as built).</summary>
    public GatewayOutcome Send(byte[] frame)
    {
        var input = frame.ToArray();
        var verdict = Gateway.Process(input, null, Now, Events);
        var outputs = new List<OutputFrame>();
        if (verdict.SendInput)
        {
            // Masquerade rewrites in place: no length ever changes, not even for a PPTP Call ID.
            Assert.Equal(TestFrames.Dissect(frame).IpTotalLength, TestFrames.Dissect(input).IpTotalLength);
            outputs.Add(new OutputFrame(input, verdict.Side));
        }
        if (verdict.Extra is { } extra)
            outputs.AddRange(extra);
        if (verdict.Action == VerdictAction.Drop)
        {
            Assert.NotEqual(DropReason.None, verdict.Reason);
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", verdict.Reason.Code());
        }

        // A refused frame may still be answered, but only by the gateway itself: an ICMP error from its own address,
        // or a reset (REJECT) sent back to the segment's source.
        if (verdict.Action != VerdictAction.Forward)
        {
            var sent = TestFrames.Dissect(input);
            Assert.All(outputs.Select(o => TestFrames.Dissect(o.Frame)), o => Assert.True(
                (o.Protocol == VpnMasq.Protocols.Ipv4.IpProtocol.Icmp && (o.Source == Gateway.Settings.PublicAddress || o.Source == Gateway.Settings.InsideAddress))
                || (o.Protocol == VpnMasq.Protocols.Ipv4.IpProtocol.Tcp && (o.TcpFlags & VpnMasq.Protocols.Tcp.TcpFlags.Rst) != 0 && o.Destination == sent.Source),
                "a refused frame was answered by something other than the gateway"));
        }
        foreach (var output in outputs)
            AssertValid(output.Frame);
        return new GatewayOutcome(verdict, outputs);
    }

    /// <summary>A frame the gateway sends parses and has a valid IPv4 header checksum and transport checksum.</summary>
    public static void AssertValid(byte[] frame)
    {
        var d = TestFrames.Dissect(frame);
        Assert.True(d.IsOk, $"output frame does not parse: {d.Status} at {d.FailedLayer}");
        Assert.True(TransportChecksum.IsValid(frame.AsSpan(d.NetworkOffset, d.IpTotalLength)), "output frame has a bad checksum");
    }
}

/// <summary>The verdict on one frame and the frames the gateway sends for it.</summary>
internal sealed record GatewayOutcome(Verdict Verdict, IReadOnlyList<OutputFrame> Outputs)
{
    /// <summary>The one frame sent to the internet.</summary>
    public byte[] Outside => Sent(Side.Outside);

    /// <summary>The one frame sent to the inside network.</summary>
    public byte[] Inside => Sent(Side.Inside);

    public byte[] Sent(Side side)
    {
        Assert.Equal(VerdictAction.Forward, Verdict.Action);
        var output = Assert.Single(Outputs);
        Assert.Equal(side, output.Side);
        return output.Frame;
    }

    public void AssertDropped(DropReason reason)
    {
        Assert.Equal(VerdictAction.Drop, Verdict.Action);
        Assert.Equal(reason, Verdict.Reason);
    }

    /// <summary>The gateway's one answer to a frame it refused (ICMP error, TCP reset), on the side it goes out.</summary>
    public byte[] Reply(Side side)
    {
        Assert.Equal(VerdictAction.Drop, Verdict.Action);
        var output = Assert.Single(Outputs);
        Assert.Equal(side, output.Side);
        return output.Frame;
    }
}

/// <summary>
/// One TCP connection between an inside host and a remote host through the gateway, keeping each
/// side's sequence number. Segments from the remote go to the public address and port: the port is
/// learned from the inside host's SYN going out, or given (a port forward).
/// </summary>
internal sealed class TcpConversation(GatewayUnderTest gateway, uint inside, ushort insidePort, uint remote, ushort remotePort, ushort publicPort = 0)
{
    public uint InsideSequence { get; set; } = 1000;
    public uint RemoteSequence { get; set; } = 700_000;
    public ushort PublicPort { get; private set; } = publicPort;

    public byte[] InsideSegment(TcpFlags flags, ReadOnlySpan<byte> data = default, uint? sequence = null) =>
        TestFrames.TcpFrame(inside, insidePort, remote, remotePort, flags, sequence ?? InsideSequence, RemoteSequence, data);

    public byte[] RemoteSegment(TcpFlags flags, ReadOnlySpan<byte> data = default, uint? sequence = null) =>
        TestFrames.TcpFrame(remote, remotePort, gateway.Gateway.Settings.PublicAddress, PublicPort, flags, sequence ?? RemoteSequence, InsideSequence, data);

    /// <summary>Sends a segment from the inside host; its sequence number advances as if it was sent.</summary>
    public GatewayOutcome FromInside(TcpFlags flags, ReadOnlySpan<byte> data = default)
    {
        var outcome = gateway.Send(InsideSegment(flags, data));
        if (PublicPort == 0 && outcome.Verdict.Action == VerdictAction.Forward)
            PublicPort = TestFrames.Dissect(outcome.Outside).SourcePort;
        InsideSequence += Advance(flags, data);
        return outcome;
    }

    public GatewayOutcome FromRemote(TcpFlags flags, ReadOnlySpan<byte> data = default)
    {
        var outcome = gateway.Send(RemoteSegment(flags, data));
        RemoteSequence += Advance(flags, data);
        return outcome;
    }

    /// <summary>Data from the inside host (PSH, ACK).</summary>
    public GatewayOutcome InsideSends(params byte[][] data) => FromInside(TcpFlags.Psh | TcpFlags.Ack, TestFrames.Concat(data));

    /// <summary>Data from the remote host (PSH, ACK).</summary>
    public GatewayOutcome RemoteSends(params byte[][] data) => FromRemote(TcpFlags.Psh | TcpFlags.Ack, TestFrames.Concat(data));

    /// <summary>The inside host opens the connection: SYN, SYN-ACK, ACK all pass.</summary>
    public TcpConversation Open()
    {
        Assert.Equal(VerdictAction.Forward, FromInside(TcpFlags.Syn).Verdict.Action);
        Assert.Equal(VerdictAction.Forward, FromRemote(TcpFlags.Syn | TcpFlags.Ack).Verdict.Action);
        Assert.Equal(VerdictAction.Forward, FromInside(TcpFlags.Ack).Verdict.Action);
        return this;
    }

    /// <summary>The remote host opens the connection to the public port (a forward): SYN, SYN-ACK, ACK all pass.</summary>
    public TcpConversation Accept()
    {
        Assert.Equal(VerdictAction.Forward, FromRemote(TcpFlags.Syn).Verdict.Action);
        Assert.Equal(VerdictAction.Forward, FromInside(TcpFlags.Syn | TcpFlags.Ack).Verdict.Action);
        Assert.Equal(VerdictAction.Forward, FromRemote(TcpFlags.Ack).Verdict.Action);
        return this;
    }

    private static uint Advance(TcpFlags flags, ReadOnlySpan<byte> data) =>
        (uint)data.Length + ((flags & (TcpFlags.Syn | TcpFlags.Fin)) != 0 ? 1u : 0u);
}
