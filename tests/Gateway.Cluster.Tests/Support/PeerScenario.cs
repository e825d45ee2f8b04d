using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;
using VpnMasq.Protocols.Tests.Masquerade;

namespace VpnMasq.Cluster.Tests.Support;

public enum PeerKind
{
    Esp,
    Isakmp,
    Pptp,
}

/// <summary>One frame of a scenario: built once, sent to a node, and to the reference engine.</summary>
internal sealed record ScenarioFrame(byte[] Frame, bool Outbound, string Description);

/// <summary>
/// The frames that give remote peer number <see cref="Index"/> an established flow of one kind from one
/// inside host (ESP SA pair, ISAKMP cookie pair, or a PPTP call with its GRE Call ID), and the frames
/// of that flow afterwards, which any node must translate without asking the owner.
/// </summary>
internal sealed class PeerScenario
{
    public static readonly uint Public = Ipv4Address.Parse("200.200.200.200");
    private static readonly uint FirstRemote = Ipv4Address.Parse("198.18.0.1");
    private static readonly uint FirstInside = Ipv4Address.Parse("10.1.0.2");
    private int _probePort = 20000;

    public PeerScenario(int index, PeerKind? kind = null)
    {
        Index = index;
        Kind = kind ?? (PeerKind)(index % 3);
        Remote = FirstRemote + (uint)index;
        Inside = FirstInside + (uint)(index % 500);
        uint spiBase = 0x10000u + (uint)index;
        ulong cookie = 0x1122_3344_0000_0000UL + (ulong)index;
        ushort insidePort = (ushort)(40000 + (index % 20000));
        ushort callId = (ushort)(0x4000 + (index % 0x1000));
        ushort serverCallId = (ushort)(0x7000 + (index % 0x1000));
        switch (Kind)
        {
            case PeerKind.Esp:
                Setup =
                [
                    new(TestFrames.EspFrame(Inside, Remote, spiBase), true, "initial ESP"),
                    new(TestFrames.EspFrame(Remote, Public, spiBase + 0x100000), false, "ESP reply"),
                ];
                Established =
                [
                    new(TestFrames.EspFrame(Inside, Remote, spiBase, sequence: 2), true, "ESP out"),
                    new(TestFrames.EspFrame(Remote, Public, spiBase + 0x100000, sequence: 2), false, "ESP in"),
                ];
                break;
            case PeerKind.Isakmp:
                Setup =
                [
                    new(TestFrames.UdpFrame(Inside, 500, Remote, 500, TestFrames.IsakmpMessage(cookie, 0)), true, "ISAKMP first"),
                    new(TestFrames.UdpFrame(Remote, 500, Public, 500, TestFrames.IsakmpMessage(cookie, ~cookie)), false, "ISAKMP reply"),
                ];
                Established =
                [
                    new(TestFrames.UdpFrame(Remote, 500, Public, 500, TestFrames.IsakmpMessage(cookie, ~cookie, 60)), false, "ISAKMP in"),
                    new(TestFrames.UdpFrame(Inside, 500, Remote, 500, TestFrames.IsakmpMessage(cookie, ~cookie, 60)), true, "ISAKMP out"),
                ];
                break;
            default:
                var request = TestFrames.PptpMessage(PptpControlType.OutgoingCallRequest, callId);
                var reply = TestFrames.PptpMessage(PptpControlType.OutgoingCallReply, serverCallId, callId, resultCode: 1);
                Setup =
                [
                    new(TestFrames.TcpFrame(Inside, insidePort, Remote, 1723, TcpFlags.Syn, 1000), true, "PPTP SYN"),
                    new(TestFrames.TcpFrame(Remote, 1723, Public, insidePort, TcpFlags.Syn | TcpFlags.Ack, 5000, 1001), false, "PPTP SYN-ACK"),
                    new(TestFrames.TcpFrame(Inside, insidePort, Remote, 1723, TcpFlags.Ack, 1001, 5001), true, "PPTP ACK"),
                    new(TestFrames.TcpFrame(Inside, insidePort, Remote, 1723, TcpFlags.Psh | TcpFlags.Ack, 1001, 5001, request), true, "PPTP OCRQ"),
                    new(TestFrames.TcpFrame(Remote, 1723, Public, insidePort, TcpFlags.Psh | TcpFlags.Ack, 5001, 1001 + (uint)request.Length, reply),
                        false, "PPTP OCRP"),
                ];
                Established =
                [
                    new(TestFrames.GreFrame(Remote, Public, callId), false, "GRE in"),
                    new(TestFrames.GreFrame(Inside, Remote, serverCallId), true, "GRE out"),
                ];
                break;
        }
    }

    public int Index { get; }
    public PeerKind Kind { get; }
    public uint Remote { get; }
    public uint Inside { get; }
    public string RemoteText => Ipv4Address.Format(Remote);
    public IReadOnlyList<ScenarioFrame> Setup { get; }
    public IReadOnlyList<ScenarioFrame> Established { get; }

    /// <summary>A frame that needs the owner: the first of a new UDP flow to this peer (a new one each call).</summary>
    public ScenarioFrame NextDecision() =>
        new(TestFrames.UdpFrame(Inside, (ushort)_probePort++, Remote, 9999, [1, 2, 3, 4]), true, "new UDP flow");
}
