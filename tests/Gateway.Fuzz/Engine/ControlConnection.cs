using VpnMasq.Protocols;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Fuzz.Engine;

/// <summary>
/// One PPTP control connection (TCP 1723) through a gateway, opened with a real handshake, that sends
/// segments in either direction with each side's sequence number kept — so the fuzz input decides only
/// what the stream holds and how it is cut, not whether the TCP state lets it through.
/// </summary>
internal sealed class ControlConnection
{
    private readonly SingleProcessGateway _gateway;
    private readonly uint _inside;
    private readonly ushort _insidePort;
    private readonly uint _remote;
    private readonly ushort _remotePort;
    private readonly bool _insideIsClient;
    private ushort _publicPort;
    private uint _insideSequence = 1000;
    private uint _remoteSequence = 500_000;

    private ControlConnection(SingleProcessGateway gateway, uint inside, ushort insidePort, uint remote, ushort remotePort, bool insideIsClient)
    {
        _gateway = gateway;
        _inside = inside;
        _insidePort = insidePort;
        _remote = remote;
        _remotePort = remotePort;
        _insideIsClient = insideIsClient;
        _publicPort = insideIsClient ? (ushort)0 : insidePort;
    }

    /// <summary>An inside client calling a PPTP server on the internet.</summary>
    public static ControlConnection ToServer(SingleProcessGateway gateway, uint inside, ushort port, uint server, TimeSpan now)
    {
        var connection = new ControlConnection(gateway, inside, port, server, 1723, insideIsClient: true);
        connection.Open(now);
        return connection;
    }

    /// <summary>A client on the internet calling the inside PPTP server through the 1723 port forward.</summary>
    public static ControlConnection FromClient(SingleProcessGateway gateway, uint inside, uint client, ushort port, TimeSpan now)
    {
        var connection = new ControlConnection(gateway, inside, 1723, client, port, insideIsClient: false);
        connection.Open(now);
        return connection;
    }

    /// <summary>
    /// Sends stream bytes from the inside (<paramref name="outbound"/>) or the remote side. <paramref name="shift"/>
    /// moves the sequence number off the expected one: negative repeats bytes already sent, positive leaves a gap.
    /// </summary>
    public Verdict Send(bool outbound, ReadOnlySpan<byte> data, int shift, TcpFlags flags, TimeSpan now, List<PeerEvent> events)
    {
        ref uint sequence = ref outbound ? ref _insideSequence : ref _remoteSequence;
        uint sent = sequence + (uint)shift;
        var verdict = Deliver(outbound, flags, sent, data, now, events);
        uint end = sent + (uint)data.Length + ((flags & (TcpFlags.Syn | TcpFlags.Fin)) != 0 ? 1u : 0u);
        if ((int)(end - sequence) > 0)
            sequence = end;
        return verdict;
    }

    private void Open(TimeSpan now)
    {
        var events = new List<PeerEvent>();
        bool clientOutbound = _insideIsClient;
        Send(clientOutbound, default, 0, TcpFlags.Syn, now, events);
        Send(!clientOutbound, default, 0, TcpFlags.Syn | TcpFlags.Ack, now, events);
        Send(clientOutbound, default, 0, TcpFlags.Ack, now, events);
    }

    private Verdict Deliver(bool outbound, TcpFlags flags, uint sequence, ReadOnlySpan<byte> data, TimeSpan now, List<PeerEvent> events)
    {
        var frame = outbound
            ? Segment(_inside, _insidePort, _remote, _remotePort, flags, sequence, _remoteSequence, data)
            : Segment(_remote, _remotePort, _gateway.Settings.PublicAddress, _publicPort, flags, sequence, _insideSequence, data);
        var verdict = _gateway.Process(frame, outbound ? Direction.Outbound : Direction.Inbound, now, events);

        // The gateway rewrites in place: an inside client's first SYN leaves with the public port it was given.
        if (outbound && _publicPort == 0 && verdict.SendInput && EthernetHeader.Parse(frame, out var eth) == ParseStatus.Ok
            && Ipv4Header.Parse(frame.AsSpan(eth.Length), out var ip) == ParseStatus.Ok
            && TcpHeader.Parse(ip.Payload, out var tcp) == ParseStatus.Ok)
            _publicPort = tcp.SourcePort;
        return verdict;
    }

    private static byte[] Segment(uint source, ushort sourcePort, uint destination, ushort destinationPort, TcpFlags flags,
        uint sequence, uint acknowledgment, ReadOnlySpan<byte> data)
    {
        var link = new EthernetFields(0x02_00_00_00_00_01, 0x02_00_00_00_00_02, EtherType.Ipv4);
        var tcp = new TcpFields(sourcePort, destinationPort, sequence, acknowledgment, flags);
        int totalLength = Ipv4Header.MinLength + tcp.HeaderLength + data.Length;
        var ip = new Ipv4Fields(source, destination, IpProtocol.Tcp, (ushort)totalLength);
        var frame = new byte[link.Length + totalLength];
        link.WriteTo(frame);
        var datagram = frame.AsSpan(link.Length);
        ip.WriteTo(datagram);
        tcp.WriteTo(datagram[Ipv4Header.MinLength..]);
        data.CopyTo(datagram[(Ipv4Header.MinLength + tcp.HeaderLength)..]);
        TransportChecksum.Fill(datagram);
        return frame;
    }
}
