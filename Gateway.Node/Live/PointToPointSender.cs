using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Node.Live;

/// <summary>
/// Sends IPv4 packets on a link without a link header (ppp, tun, WireGuard) through a Linux packet socket of type
/// datagram: the kernel is told the protocol (a WireGuard device drops packets of unknown protocol) and adds no
/// header. libpcap's own injection refuses cooked captures, which is what a ppp device gives, so both kinds of
/// point-to-point link send this way. Protocol 0 on the socket: it sends only, and nothing queues up on it.
/// </summary>
internal sealed class PointToPointSender : IDisposable
{
    // struct sockaddr_ll: family (2), protocol (2, network order), ifindex (4), hatype (2), pkttype (1), halen (1), addr (8).
    private const int SockaddrLlLength = 20;
    private const int ProtocolOffset = 2;
    private const int IndexOffset = 4;

    private readonly Socket _socket = new(AddressFamily.Packet, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly SocketAddress _link;

    public PointToPointSender(string interfaceName)
    {
        _link = new SocketAddress(AddressFamily.Packet, SockaddrLlLength);
        var bytes = _link.Buffer.Span;
        BinaryPrimitives.WriteUInt16BigEndian(bytes[ProtocolOffset..], EtherType.Ipv4);
        int index = LinkInfo.IndexOf(interfaceName);
        MemoryMarshal.Write(bytes[IndexOffset..], in index); // the kernel reads sll_ifindex in host byte order
    }

    /// <summary>Sends one IP packet; a failure (link down, packet over the MTU) throws <see cref="SocketException"/>.</summary>
    public void Send(ReadOnlySpan<byte> packet) => _socket.SendTo(packet, SocketFlags.None, _link);

    public void Dispose() => _socket.Dispose();
}
