using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Masquerade.Esp;
using VpnMasq.Protocols.Tests.Masquerade.Pptp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Snapshots;

/// <summary>A frame still to come, and when.</summary>
internal readonly record struct NextFrame(byte[] Frame, Direction Direction, TimeSpan At);

/// <summary>
/// A live peer after a realistic run of frames through the gateway, the journal of events it emitted, and the
/// frames that come next (built now, so TCP segments carry the sequence numbers their connection is at).
/// </summary>
internal sealed record PeerScenario(PeerState Live, MasqueradeSettings Settings, IReadOnlyList<PeerEvent> Journal, IReadOnlyList<NextFrame> Next)
{
    private const ulong CookieA = 0xA1A1_A1A1_A1A1_A1A1;
    private const ulong CookieB = 0xB2B2_B2B2_B2B2_B2B2;
    private const ulong ResponderA = 0x0A0A_0A0A_0A0A_0A0A;
    private const ulong ResponderB = 0x0B0B_0B0B_0B0B_0B0B;
    private const ulong ResponderC = 0x0C0C_0C0C_0C0C_0C0C;
    private const TcpFlags Data = TcpFlags.Psh | TcpFlags.Ack;

    public static TheoryData<string> Names => ["esp-associations", "esp-turns", "isakmp", "ports", "pptp"];

    public static PeerScenario Named(string name) => name switch
    {
        "esp-associations" => EspAssociations(),
        "esp-turns" => EspTurns(),
        "isakmp" => IsakmpExchanges(),
        "ports" => PortsWithAHalfClosedConnection(),
        "pptp" => PptpCalls(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>A fresh peer restored from the live one's snapshot, as a new owner after a failover.</summary>
    public PeerState Restored()
    {
        var peer = new PeerState(Live.Remote, Settings.Options);
        peer.Restore(Live.TakeSnapshot());
        return peer;
    }

    /// <summary>A fresh peer with the whole journal applied in order.</summary>
    public PeerState Replayed()
    {
        var peer = new PeerState(Live.Remote, Settings.Options);
        foreach (var e in Journal)
            peer.Apply(e);
        return peer;
    }

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    private static PeerScenario Of(EspIsakmpDriver gw, params NextFrame[] next) => new(gw.Peer, gw.Gateway.Settings, gw.Events, next);

    private static PeerScenario Of(GatewayUnderTest gateway, params NextFrame[] next) =>
        new(gateway.Gateway.Peers[Remote], gateway.Gateway.Settings, gateway.Events, next);

    /// <summary>Parallel sessions off: A's established SA, A's rekey outstanding after B collided with it, B waiting.</summary>
    private static PeerScenario EspAssociations()
    {
        var gw = new EspIsakmpDriver();
        gw.Out(Ike.EspOut(Ike.HostA, 0x1001), At(0));
        gw.In(Ike.EspIn(0x2001), At(1));
        gw.Out(Ike.EspOut(Ike.HostA, 0x1001, 2), At(2));
        gw.Out(Ike.EspOut(Ike.HostA, 0x1002), At(20));
        gw.Out(Ike.EspOut(Ike.HostB, 0x3001), At(21));
        gw.Out(Ike.EspOut(Ike.HostA, 0x1002, 2), At(22));
        var outstanding = gw.Peer.Esp.Outstanding!;
        Assert.Equal((Ike.HostA, 0x1002u, true, 1), (outstanding.Inside, outstanding.OutboundSpi, outstanding.Collided, outstanding.RetriesSinceCollision));
        Assert.Equal(Ike.HostB, Assert.Single(gw.Peer.Esp.Waiting).Inside);

        return Of(gw,
            new(Ike.EspIn(0x2001, 3), Direction.Inbound, At(23)),
            new(Ike.EspOut(Ike.HostA, 0x1001, 3), Direction.Outbound, At(23.5)),
            new(Ike.EspOut(Ike.HostB, 0x3001), Direction.Outbound, At(24)),
            new(Ike.EspIn(0x2002), Direction.Inbound, At(25)),
            new(Ike.EspOut(Ike.HostB, 0x3001), Direction.Outbound, At(26)),
            new(Ike.EspIn(0x5001), Direction.Inbound, At(27)),
            new(Ike.EspOut(Ike.HostA, 0x1002, 3), Direction.Outbound, At(28)));
    }

    /// <summary>Parallel sessions on: A's turn ended after B collided with it; B, then A, wait for a turn.</summary>
    private static PeerScenario EspTurns()
    {
        var gw = new EspIsakmpDriver(EspIsakmpDriver.WithParallelSessions(true));
        gw.Out(Ike.EspOut(Ike.HostA, 0x1001), At(0));
        gw.Out(Ike.EspOut(Ike.HostB, 0x3001), At(1));
        for (int t = 2; t <= 5; t++)
            gw.Out(Ike.EspOut(Ike.HostA, 0x1001, (uint)t), At(t));
        gw.Out(Ike.EspOut(Ike.HostA, 0x1001, 6), At(5.5));
        Assert.Null(gw.Peer.Esp.Outstanding);
        Assert.Equal(new[] { Ike.HostB, Ike.HostA }, gw.Peer.Esp.Waiting.Select(w => w.Inside));
        Assert.Equal(Ike.HostA, gw.Peer.Esp.TurnEndedHost);

        return Of(gw,
            new(Ike.EspOut(Ike.HostA, 0x1001, 7), Direction.Outbound, At(6)),
            new(Ike.EspOut(Ike.HostB, 0x3001, 2), Direction.Outbound, At(6.5)),
            new(Ike.EspIn(0x4001), Direction.Inbound, At(7)),
            new(Ike.EspOut(Ike.HostA, 0x1001, 8), Direction.Outbound, At(8)),
            new(Ike.EspIn(0x2001), Direction.Inbound, At(9)),
            new(Ike.EspIn(0x4001, 2), Direction.Inbound, At(10)));
    }

    /// <summary>A's exchange answered; B shares A's initiator cookie under its own responder cookie; B's other exchange awaits its reply.</summary>
    private static PeerScenario IsakmpExchanges()
    {
        const ulong RemoteCookie = 0xC3C3_C3C3_C3C3_C3C3;
        var gw = new EspIsakmpDriver();
        gw.Out(Ike.IsakmpOut(Ike.HostA, CookieA), At(0));
        gw.In(Ike.IsakmpIn(CookieA, ResponderA), At(1));
        gw.Out(Ike.IsakmpOut(Ike.HostA, CookieA, ResponderA), At(2));
        gw.Out(Ike.IsakmpOut(Ike.HostB, CookieB), At(3));
        gw.Out(Ike.IsakmpOut(Ike.HostB, CookieA), At(4));
        gw.In(Ike.IsakmpIn(CookieA, ResponderB), At(5));
        Assert.Equal(Ike.HostB, gw.Peer.Isakmp.LatestSpeaker);
        Assert.Equal(ResponderB, gw.Peer.Isakmp.Find(Ike.HostB, CookieA)!.ResponderCookie);

        return Of(gw,
            new(Ike.IsakmpIn(CookieA, ResponderA), Direction.Inbound, At(6)),
            new(Ike.IsakmpIn(CookieA, ResponderB), Direction.Inbound, At(7)),
            new(Ike.IsakmpIn(CookieB, ResponderC), Direction.Inbound, At(8)),
            new(Ike.IsakmpOut(Ike.HostA, CookieA, ResponderA), Direction.Outbound, At(9)),
            new(Ike.IsakmpIn(RemoteCookie, 0, fromInitiator: true), Direction.Inbound, At(10)),
            new(Ike.IsakmpIn(CookieA, 0x0D0D), Direction.Inbound, At(11)),
            new(Ike.IsakmpOut(Ike.HostB, CookieB, ResponderC), Direction.Outbound, At(12)));
    }

    /// <summary>
    /// TCP established (B's on a moved port), half closed (FIN from inside) and opening; UDP and ICMP with B moved
    /// off A's port and identifier. A's connection then carries data, which moves its last-seen without an event.
    /// </summary>
    private static PeerScenario PortsWithAHalfClosedConnection()
    {
        var gateway = GatewayUnderTest.Create();
        var a = new TcpConversation(gateway, InsideA, 3000, Remote, 80).Open();
        gateway.Now = At(1);
        var b = new TcpConversation(gateway, InsideB, 3000, Remote, 80).Open();
        gateway.Now = At(2);
        var halfClosed = new TcpConversation(gateway, InsideA, 3001, Remote, 80).Open();
        halfClosed.FromInside(TcpFlags.Fin | TcpFlags.Ack);
        gateway.Now = At(3);
        var opening = new TcpConversation(gateway, InsideA, 3002, Remote, 443);
        opening.FromInside(TcpFlags.Syn);
        gateway.Now = At(4);
        gateway.Send(UdpFrame(InsideA, 5000, Remote, 53, [1]));
        ushort udpB = Dissect(gateway.Send(UdpFrame(InsideB, 5000, Remote, 53, [2])).Outside).SourcePort;
        gateway.Now = At(5);
        gateway.Send(EchoFrame(InsideA, Remote, IcmpType.EchoRequest, 0x77));
        ushort idB = Dissect(gateway.Send(EchoFrame(InsideB, Remote, IcmpType.EchoRequest, 0x77)).Outside).IcmpIdentifier;
        gateway.Now = At(6);
        a.InsideSends([1, 2, 3]);
        var live = gateway.Gateway.Peers[Remote];
        var half = live.Ports.FindOutbound(IpProtocol.Tcp, InsideA, 3001, 80)!;
        Assert.Equal((TcpMappingState.Closing, true, false), (half.State, half.FinFromInside, half.FinFromRemote));
        Assert.NotEqual((ushort)3000, b.PublicPort);

        return Of(gateway,
            new(halfClosed.RemoteSegment(TcpFlags.Fin | TcpFlags.Ack), Direction.Inbound, At(10)),
            new(a.RemoteSegment(Data, [4, 5, 6]), Direction.Inbound, At(11)),
            new(b.InsideSegment(Data, [7]), Direction.Outbound, At(12)),
            new(opening.RemoteSegment(TcpFlags.Syn | TcpFlags.Ack), Direction.Inbound, At(13)),
            new(UdpFrame(Remote, 53, Public, udpB, [8]), Direction.Inbound, At(14)),
            new(EchoFrame(Remote, Public, IcmpType.EchoReply, idB), Direction.Inbound, At(15)),
            new(EchoFrame(InsideB, Remote, IcmpType.EchoRequest, 0x78), Direction.Outbound, At(16)),
            new(UdpFrame(InsideB, 6000, Remote, 53, [9]), Direction.Outbound, At(17)),
            new(halfClosed.InsideSegment(TcpFlags.Ack), Direction.Outbound, At(18)));
    }

    /// <summary>Two clients' calls with the same Call ID; B's call then ends and A places another.</summary>
    private static PeerScenario PptpCalls()
    {
        var calls = new TwoPptpClients();
        var b = calls.B.Tcp;

        return Of(calls.Gateway,
            new(GreFrame(Remote, Public, calls.OutsideCallIdA, 2), Direction.Inbound, At(11)),
            new(GreFrame(Remote, Public, calls.OutsideCallIdB, 2), Direction.Inbound, At(11)),
            new(GreFrame(InsideB, Remote, calls.ServerCallIdB, 2), Direction.Outbound, At(12)),
            new(RemoteSends(b, PptpMessage(PptpControlType.WanErrorNotify, peerCallId: calls.OutsideCallIdB)), Direction.Inbound, At(13)),
            new(InsideSends(b, PptpMessage(PptpControlType.CallClearRequest, TwoPptpClients.ClientCallId)), Direction.Outbound, At(14)),
            new(RemoteSends(b, PptpMessage(PptpControlType.CallDisconnectNotify, calls.ServerCallIdB)), Direction.Inbound, At(15)),
            new(GreFrame(Remote, Public, calls.OutsideCallIdB, 3), Direction.Inbound, At(16)),
            new(InsideSends(calls.A.Tcp, PptpMessage(PptpControlType.OutgoingCallRequest, 6)), Direction.Outbound, At(17)));
    }

    /// <summary>A data segment from the inside host, its sequence number advanced as if it was sent.</summary>
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
