using VpnMasq.Protocols.Pptp;
using static VpnMasq.Protocols.Tests.Masquerade.Pptp.PptpClient;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Pptp;

// DESIGN §3.4: incoming calls, where the inside host acts as the PAC, follow the same principle —
// the inside party's Call ID is masqueraded, the outside party's passes.
public sealed class PptpIncomingCallTests
{
    private const ushort PacCallId = 9;

    [Fact]
    public void IncomingCallRequest_FromInsidePac_CallIdMasqueraded()
    {
        var gateway = GatewayUnderTest.Create();
        var a = new PptpClient(gateway, InsideA, 1025);
        var b = new PptpClient(gateway, InsideB, 1026);

        ushort outsideA = CallIdField(a.Tcp.InsideSends(PptpMessage(PptpControlType.IncomingCallRequest, PacCallId)).Outside);
        ushort outsideB = CallIdField(b.Tcp.InsideSends(PptpMessage(PptpControlType.IncomingCallRequest, PacCallId)).Outside);

        Assert.NotEqual(outsideA, outsideB);
    }

    [Fact]
    public void IncomingCallReply_FromOutside_PeerCallIdTranslatedBack()
    {
        var gateway = GatewayUnderTest.Create();
        var a = new PptpClient(gateway, InsideA, 1025);
        var b = new PptpClient(gateway, InsideB, 1026);
        a.Tcp.InsideSends(PptpMessage(PptpControlType.IncomingCallRequest, PacCallId));
        ushort outsideB = CallIdField(b.Tcp.InsideSends(PptpMessage(PptpControlType.IncomingCallRequest, PacCallId)).Outside);

        var reply = b.Tcp.RemoteSends(PptpMessage(PptpControlType.IncomingCallReply, 0x7001, outsideB, resultCode: 1)).Inside;
        var gre = gateway.Send(GreFrame(Remote, Public, outsideB)).Inside;

        Assert.Equal((PacCallId, (ushort)0x7001), (PeerCallIdField(reply), CallIdField(reply)));
        Assert.Equal((InsideB, PacCallId), (Dissect(gre).Destination, GreCallId(gre)));
    }
}
