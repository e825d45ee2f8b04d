using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Support;

/// <summary>
/// One remote peer's worth of every kind of state: an ESP SA (initial packet, then the reply that associates
/// it), an ISAKMP exchange with its responder cookie, a UDP mapping, and a PPTP call (TCP 1723 opened, then
/// Outgoing-Call-Request/Reply), so a GRE Call-ID mapping exists. Then the next frames of the ESP, GRE and
/// ISAKMP flows. Built against a <see cref="ReferencePeer"/> to learn the public port and masqueraded Call ID.
/// </summary>
internal sealed class MixedTraffic
{
    public const uint OutboundSpi = 0x1001;
    public const uint InboundSpi = 0x2001;
    public const ulong InitiatorCookie = 0xA1A1_A1A1_A1A1_A1A1;
    public const ulong ResponderCookie = 0x0A0A_0A0A_0A0A_0A0A;
    public const ushort PptpClientPort = 3000;
    public const ushort ClientCallId = 0x0040;
    public const ushort ServerCallId = 0x0777;

    public static MasqueradeSettings Settings() => new(new MasqueradeOptions { PublicAddress = Public });

    public MixedTraffic()
    {
        var model = new ReferencePeer(Settings());
        var setup = new List<TrafficFrame>();
        void Add(byte[] frame, Direction direction, double seconds)
        {
            var traffic = new TrafficFrame(frame, direction, TimeSpan.FromSeconds(seconds));
            Assert.Equal(VerdictAction.Forward, model.Decide(traffic).Verdict.Action);
            setup.Add(traffic);
        }

        Add(EspFrame(InsideA, Remote, OutboundSpi), Direction.Outbound, 1);
        Add(EspFrame(Remote, Public, InboundSpi), Direction.Inbound, 2);
        Add(UdpFrame(InsideA, 500, Remote, 500, IsakmpMessage(InitiatorCookie, 0)), Direction.Outbound, 3);
        Add(UdpFrame(Remote, 500, Public, 500, IsakmpMessage(InitiatorCookie, ResponderCookie)), Direction.Inbound, 4);
        Add(UdpFrame(InsideB, 5000, Remote, 53, [1]), Direction.Outbound, 5);

        // A frame that changes nothing but last-seen emits no event (DESIGN §1: activity is not journaled), so the
        // rest of the control connection shares the SYN-ACK's frame time: replaying the events then gives the
        // exact table, last-seen times included.
        Add(TcpFrame(InsideA, PptpClientPort, Remote, PptpControlMessage.TcpPort, TcpFlags.Syn, 1000), Direction.Outbound, 6);
        PublicPptpPort = model.State.Ports.FindOutbound(IpProtocol.Tcp, InsideA, PptpClientPort, PptpControlMessage.TcpPort)!.PublicPort;
        Add(TcpFrame(Remote, PptpControlMessage.TcpPort, Public, PublicPptpPort, TcpFlags.Syn | TcpFlags.Ack, 5000, 1001), Direction.Inbound, 7);
        Add(TcpFrame(InsideA, PptpClientPort, Remote, PptpControlMessage.TcpPort, TcpFlags.Ack, 1001, 5001), Direction.Outbound, 7);
        var request = PptpMessage(PptpControlType.OutgoingCallRequest, ClientCallId);
        Add(TcpFrame(InsideA, PptpClientPort, Remote, PptpControlMessage.TcpPort, TcpFlags.Psh | TcpFlags.Ack, 1001, 5001, request),
            Direction.Outbound, 7);
        MasqueradedCallId = model.State.Calls.FindOriginal(InsideA, ClientCallId)!.MasqueradedCallId;
        var reply = PptpMessage(PptpControlType.OutgoingCallReply, ServerCallId, MasqueradedCallId, resultCode: 1);
        Add(TcpFrame(Remote, PptpControlMessage.TcpPort, Public, PublicPptpPort, TcpFlags.Psh | TcpFlags.Ack, 5001, 1001 + (uint)request.Length, reply),
            Direction.Inbound, 7);
        Assert.Equal(ServerCallId, model.State.Calls.FindMasqueraded(MasqueradedCallId)!.PeerCallId);
        Setup = setup;

        Next =
        [
            new(EspFrame(InsideA, Remote, OutboundSpi, 2), Direction.Outbound, TimeSpan.FromSeconds(20)),
            new(EspFrame(Remote, Public, InboundSpi, 2), Direction.Inbound, TimeSpan.FromSeconds(21)),
            new(GreFrame(Remote, Public, MasqueradedCallId, 2), Direction.Inbound, TimeSpan.FromSeconds(22)),
            new(GreFrame(InsideA, Remote, ServerCallId, 2), Direction.Outbound, TimeSpan.FromSeconds(23)),
            new(UdpFrame(Remote, 500, Public, 500, IsakmpMessage(InitiatorCookie, ResponderCookie)), Direction.Inbound, TimeSpan.FromSeconds(24)),
            new(UdpFrame(InsideA, 500, Remote, 500, IsakmpMessage(InitiatorCookie, ResponderCookie)), Direction.Outbound, TimeSpan.FromSeconds(25)),
        ];
    }

    /// <summary>The frames that build the table, in order.</summary>
    public IReadOnlyList<TrafficFrame> Setup { get; }

    /// <summary>The next frame of each established flow, both ways: ESP, GRE, ISAKMP.</summary>
    public IReadOnlyList<TrafficFrame> Next { get; }

    public ushort PublicPptpPort { get; }
    public ushort MasqueradedCallId { get; }
}
