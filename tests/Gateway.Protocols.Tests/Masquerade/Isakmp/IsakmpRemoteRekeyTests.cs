using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Tests.Masquerade.Esp;
using static VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Isakmp;

// DESIGN §3.2, HOWTO §5.7: a rekey the remote starts later still finds its inside host (IKEv1 and IKEv2).
public sealed class IsakmpRemoteRekeyTests
{
    private const ulong CookieA = 0xA1A1_A1A1_A1A1_A1A1;
    private const ulong CookieB = 0xB2B2_B2B2_B2B2_B2B2;
    private const ulong ResponderA = 0x0A0A_0A0A_0A0A_0A0A;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RemoteInitiatedExchange_WithUnknownCookies_GoesToTheHostThatMostRecentlySpokeIsakmpWithTheRemote(byte version)
    {
        const ulong RemoteCookie = 0xC3C3_C3C3_C3C3_C3C3;
        const ulong InsideResponder = 0xD4D4_D4D4_D4D4_D4D4;
        var gw = new EspIsakmpDriver();
        gw.Out(IsakmpOut(HostA, CookieA, version: version), At(0));
        gw.Out(IsakmpOut(HostB, CookieB, version: version), At(1));
        gw.Out(IsakmpOut(HostA, CookieA, version: version), At(2));

        var frame = IsakmpIn(RemoteCookie, 0, version, fromInitiator: true);
        var verdict = gw.In(frame, At(3));
        var answer = IsakmpOut(HostA, RemoteCookie, InsideResponder, version);
        var answerVerdict = gw.Out(answer, At(4));
        var next = gw.In(IsakmpIn(RemoteCookie, InsideResponder, version, fromInitiator: true), At(5));

        Assert.Equal(HostA, verdict.Inside);
        Assert.Equal((HostA, IkePort), (DestinationOf(frame), DestinationPortOf(frame)));
        Assert.Equal(VerdictAction.Forward, answerVerdict.Action);
        Assert.Equal((Public, IkePort), (SourceOf(answer), SourcePortOf(answer)));
        Assert.Equal(HostA, next.Inside);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void IsakmpMapping_IdleForItsConfiguredLifetime_StillRoutesTheRemotesNextExchange(byte version)
    {
        var lifetime = TimeSpan.FromMinutes(45);
        var gw = new EspIsakmpDriver(new MasqueradeOptions { Isakmp = new IsakmpOptions { Lifetime = lifetime } });
        gw.Out(IsakmpOut(HostA, CookieA, version: version), At(0));
        gw.In(IsakmpIn(CookieA, ResponderA, version), At(1));
        gw.Out(IsakmpOut(HostB, CookieB, version: version), At(2));

        // B spoke last, so only the cookies can send this to A.
        gw.Sweep(At(1) + lifetime);
        var verdict = gw.In(IsakmpIn(CookieA, ResponderA, version), At(1) + lifetime);

        Assert.NotNull(gw.Peer.Isakmp.Find(HostA, CookieA));
        Assert.Equal(VerdictAction.Forward, verdict.Action);
        Assert.Equal(HostA, verdict.Inside);
    }
}
