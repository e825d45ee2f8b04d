using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Snapshots;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Masquerade.Pptp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

/// <summary>
/// Established flows of inside hosts that are not the attacker, all towards <see cref="TestFrames.Remote"/>
/// (the peer hostile frames aim at) and one towards <see cref="OtherRemote"/>: host C's ESP SA pair and ISAKMP
/// exchange, host D's PPTP call (control connection and GRE), host E's UDP, TCP and ICMP echo mappings.
/// <see cref="NextFrames"/> builds each flow's next frames in both directions.
/// </summary>
internal sealed class BystanderFlows
{
    public static readonly uint HostC = Ipv4Address.Parse("10.0.0.4");
    public static readonly uint HostD = Ipv4Address.Parse("10.0.0.5");
    public static readonly uint HostE = Ipv4Address.Parse("10.0.0.6");
    public static readonly uint OtherRemote = Ipv4Address.Parse("199.0.0.2");
    public static readonly IReadOnlySet<uint> Hosts = new HashSet<uint> { HostC, HostD, HostE };

    public const uint EspOutboundSpi = 0xC0C0_1001;
    public const uint EspInboundSpi = 0xC0C0_2001;
    public const ulong InitiatorCookie = 0xC1C1_C1C1_C1C1_C1C1;
    public const ulong ResponderCookie = 0xC2C2_C2C2_C2C2_C2C2;
    public const ushort ClientCallId = 7;
    public const ushort ServerCallId = 0x4001;
    public const ushort EchoId = 0x77;
    private const TcpFlags Data = TcpFlags.Psh | TcpFlags.Ack;

    private readonly PptpClient _pptp;
    private readonly TcpConversation _web;
    private readonly ushort _udpPort;
    private readonly ushort _otherUdpPort;
    private uint _sequence = 2;

    /// <summary>Sets the flows up on <paramref name="gateway"/>, every frame at the gateway's clock, which ends one second later.</summary>
    public BystanderFlows(GatewayUnderTest gateway)
    {
        Assert.Equal(VerdictAction.Forward, gateway.Send(Ike.EspOut(HostC, EspOutboundSpi)).Verdict.Action);
        Assert.Equal(HostC, Dissect(gateway.Send(Ike.EspIn(EspInboundSpi)).Inside).Destination);
        gateway.Send(Ike.IsakmpOut(HostC, InitiatorCookie)).Sent(Side.Outside);
        Assert.Equal(HostC, Dissect(gateway.Send(Ike.IsakmpIn(InitiatorCookie, ResponderCookie)).Inside).Destination);

        _pptp = new PptpClient(gateway, HostD, 1100);
        OutsideCallId = _pptp.PlaceCall(ClientCallId, ServerCallId);

        _udpPort = Dissect(gateway.Send(UdpFrame(HostE, 5000, Remote, 53, [1])).Outside).SourcePort;
        _otherUdpPort = Dissect(gateway.Send(UdpFrame(HostE, 5001, OtherRemote, 53, [1])).Outside).SourcePort;
        _web = new TcpConversation(gateway, HostE, 3000, Remote, 80).Open();
        gateway.Send(EchoFrame(HostE, Remote, IcmpType.EchoRequest, EchoId)).Sent(Side.Outside);
        gateway.Now += TimeSpan.FromSeconds(1);
    }

    /// <summary>The Call ID the server knows host D's call by.</summary>
    public ushort OutsideCallId { get; }

    /// <summary>
    /// The next frame of every flow, each direction (only the VPN sessions' with <paramref name="vpnOnly"/>): all are
    /// forwarded on an engine no hostile frame touched. TCP sequence numbers advance as if every frame was delivered.
    /// </summary>
    public IReadOnlyList<byte[]> NextFrames(bool vpnOnly = false)
    {
        uint n = _sequence++;
        var vpn = new[]
        {
            Ike.EspOut(HostC, EspOutboundSpi, n),
            Ike.EspIn(EspInboundSpi, n),
            Ike.IsakmpOut(HostC, InitiatorCookie, ResponderCookie),
            Ike.IsakmpIn(InitiatorCookie, ResponderCookie),
            GreFrame(HostD, Remote, ServerCallId, n),
            GreFrame(Remote, Public, OutsideCallId, n),
            InsideSends(_pptp.Tcp, PptpMessage(PptpControlType.SetLinkInfo, peerCallId: ServerCallId)),
            RemoteSends(_pptp.Tcp, PptpMessage(PptpControlType.WanErrorNotify, peerCallId: OutsideCallId)),
        };
        if (vpnOnly)
            return vpn;
        return
        [
            .. vpn,
            UdpFrame(HostE, 5000, Remote, 53, [(byte)n]),
            UdpFrame(Remote, 53, Public, _udpPort, [(byte)n]),
            InsideSends(_web, [(byte)n]),
            RemoteSends(_web, [(byte)n, 0]),
            EchoFrame(HostE, Remote, IcmpType.EchoRequest, EchoId, (ushort)n),
            EchoFrame(Remote, Public, IcmpType.EchoReply, EchoId, (ushort)n),
            UdpFrame(HostE, 5001, OtherRemote, 53, [(byte)n]),
            UdpFrame(OtherRemote, 53, Public, _otherUdpPort, [(byte)n]),
        ];
    }

    /// <summary>
    /// Every table row that belongs to a bystander host, peer by peer: what a hostile frame must leave alone.
    /// Rows of other hosts (the attacker's own mappings) and a peer's last activity are left out.
    /// </summary>
    public static IReadOnlyList<object> RowsOf(SingleProcessGateway gateway)
    {
        var rows = new List<object>();
        foreach (var (address, peer) in gateway.Peers.OrderBy(p => p.Key))
        {
            PeerSnapshot s = peer.TakeSnapshot();
            var mine = new List<object>();
            mine.AddRange(s.Ports.Where(r => Hosts.Contains(r.Inside)));
            mine.AddRange(s.Icmp.Where(r => Hosts.Contains(r.Inside)));
            mine.AddRange(s.Isakmp.Where(r => Hosts.Contains(r.Inside)));
            mine.AddRange(s.Esp.Where(r => Hosts.Contains(r.Inside)));
            mine.AddRange(s.EspLastRekey.Where(r => Hosts.Contains(r.Inside)));
            mine.AddRange(s.Calls.Where(r => Hosts.Contains(r.Inside)));
            if (mine.Count == 0)
                continue;
            rows.Add(address);
            rows.AddRange(mine);
        }

        return rows;
    }

    /// <summary>
    /// The rows of the established VPN sessions alone: host C's SA and answered exchange, host D's call and its control
    /// connection. Floods may evict plain mappings and make exchanges for host C (the latest ISAKMP speaker); never these.
    /// </summary>
    public static IReadOnlyList<object> VpnSessionRowsOf(SingleProcessGateway gateway)
    {
        var s = gateway.Peers[Remote].TakeSnapshot();
        return
        [
            .. s.Esp.Where(r => r.Inside == HostC && r.OutboundSpi == EspOutboundSpi),
            .. s.Isakmp.Where(r => r.Inside == HostC && r.InitiatorCookie == InitiatorCookie),
            .. s.Calls.Where(r => r.Inside == HostD),
            .. s.Ports.Where(r => r.Inside == HostD),
        ];
    }

    private static byte[] InsideSends(TcpConversation tcp, byte[] data)
    {
        var frame = tcp.InsideSegment(Data, data);
        tcp.InsideSequence += (uint)data.Length;
        return frame;
    }

    private static byte[] RemoteSends(TcpConversation tcp, byte[] data)
    {
        var frame = tcp.RemoteSegment(Data, data);
        tcp.RemoteSequence += (uint)data.Length;
        return frame;
    }
}
