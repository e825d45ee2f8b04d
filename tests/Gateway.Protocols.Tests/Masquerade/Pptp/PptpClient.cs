using VpnMasq.Protocols.Pptp;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Pptp;

/// <summary>
/// An inside PPTP client (PNS) with its own control connection to the server at <see cref="TestFrames.Remote"/>:1723:
/// SYN first, then Start-Control-Connection-Request/Reply.
/// </summary>
internal sealed class PptpClient
{
    public PptpClient(GatewayUnderTest gateway, uint inside, ushort port)
    {
        Gateway = gateway;
        Inside = inside;
        Tcp = new TcpConversation(gateway, inside, port, Remote, PptpControlMessage.TcpPort).Open();
        Tcp.InsideSends(PptpMessage(PptpControlType.StartControlConnectionRequest));
        Tcp.RemoteSends(PptpMessage(PptpControlType.StartControlConnectionReply));
    }

    public GatewayUnderTest Gateway { get; }
    public uint Inside { get; }
    public TcpConversation Tcp { get; }

    /// <summary>
    /// Outgoing-Call-Request with <paramref name="callId"/>, answered by a connected Outgoing-Call-Reply
    /// with the server's <paramref name="serverCallId"/>. Returns the Call ID the server saw.
    /// </summary>
    public ushort PlaceCall(ushort callId, ushort serverCallId)
    {
        ushort outside = CallIdField(Tcp.InsideSends(PptpMessage(PptpControlType.OutgoingCallRequest, callId)).Outside);
        var reply = Tcp.RemoteSends(PptpMessage(PptpControlType.OutgoingCallReply, serverCallId, outside, resultCode: 1)).Inside;
        Assert.Equal(callId, PeerCallIdField(reply));
        return outside;
    }

    /// <summary>The Call ID field (offset 12) of the PPTP message a frame carries.</summary>
    public static ushort CallIdField(byte[] frame, int messageOffset = 0) => ReadUInt16(PayloadOf(frame), messageOffset + 12);

    /// <summary>The Peer's Call ID field of an Outgoing- or Incoming-Call-Reply (offset 14).</summary>
    public static ushort PeerCallIdField(byte[] frame, int messageOffset = 0) => ReadUInt16(PayloadOf(frame), messageOffset + 14);

    /// <summary>The Call ID in the key of an enhanced GRE frame.</summary>
    public static ushort GreCallId(byte[] frame) => Dissect(frame).GreCallId;
}

/// <summary>Two inside clients that each placed a call with the same Call ID to one server.</summary>
internal sealed class TwoPptpClients
{
    public const ushort ClientCallId = 5;

    public TwoPptpClients(ushort serverCallIdA = 0x4001, ushort serverCallIdB = 0x4002)
    {
        A = new PptpClient(Gateway, InsideA, 1025);
        B = new PptpClient(Gateway, InsideB, 1026);
        ServerCallIdA = serverCallIdA;
        ServerCallIdB = serverCallIdB;
        OutsideCallIdA = A.PlaceCall(ClientCallId, serverCallIdA);
        OutsideCallIdB = B.PlaceCall(ClientCallId, serverCallIdB);
    }

    public GatewayUnderTest Gateway { get; } = GatewayUnderTest.Create();
    public PptpClient A { get; }
    public PptpClient B { get; }
    public ushort ServerCallIdA { get; }
    public ushort ServerCallIdB { get; }
    public ushort OutsideCallIdA { get; }
    public ushort OutsideCallIdB { get; }

    /// <summary>GRE from the server keyed by <paramref name="callId"/>, as the gateway decides it.</summary>
    public GatewayOutcome GreFromServer(ushort callId) => Gateway.Send(GreFrame(Remote, Gateway.Gateway.Settings.PublicAddress, callId));
}
