using System.Buffers.Binary;
using VpnMasq.Protocols.Isakmp;
using VpnMasq.Protocols.Masquerade;
using static VpnMasq.Protocols.Tests.Masquerade.Hostile.HostileFrames;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;
using Ike = VpnMasq.Protocols.Tests.Masquerade.Esp.EspIsakmpFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

// Issue 10 / DESIGN §3.2: hostile ISAKMP on UDP 500 -> 500 and NAT-T on 4500. Zero cookies are "isakmp-zero-cookie"
// (HOWTO §5.7), headers that lie are "malformed", and cookies that match no exchange are "no-mapping".
public sealed class IsakmpHostileTests
{
    private static byte[] IsakmpFromRemote(byte[] message) => Ike.UdpFrame(Remote, 500, Public, 500, message);

    private static byte[] WithMessageLength(byte[] message, uint length)
    {
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(24), length);
        return message;
    }

    [Fact]
    public void ZeroInitiatorCookie_FromInside_IsIsakmpZeroCookie()
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.IsakmpOut(Attacker, 0)).AssertDropped(DropReason.IsakmpZeroCookie);
    }

    [Fact]
    public void ZeroCookies_FromTheBystandersRemote_AreIsakmpZeroCookie()
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.IsakmpIn(0, 0)).AssertDropped(DropReason.IsakmpZeroCookie);
        run.HitAndCheck(Ike.IsakmpIn(0, BystanderFlows.ResponderCookie)).AssertDropped(DropReason.IsakmpZeroCookie);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(27u)]
    [InlineData(37u)]
    [InlineData(uint.MaxValue)]
    public void MessageLengthBelowTheHeaderOrBeyondTheDatagram_IsMalformed(uint length)
    {
        var run = new HostileRun();
        var message = Ike.IsakmpMessage(BystanderFlows.InitiatorCookie, BystanderFlows.ResponderCookie, 1, fromInitiator: false);
        Assert.Equal(36, message.Length);

        run.HitAndCheck(IsakmpFromRemote(WithMessageLength(message, length))).AssertDropped(DropReason.Malformed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(15)]
    public void MajorVersionOtherThanOneOrTwo_IsMalformed(int major)
    {
        var run = new HostileRun();
        var message = Ike.IsakmpMessage(BystanderFlows.InitiatorCookie, BystanderFlows.ResponderCookie, 1, fromInitiator: false);
        message[17] = (byte)(major << 4);

        run.HitAndCheck(IsakmpFromRemote(message)).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void UdpPayloadShorterThanTheIsakmpHeader_IsMalformed()
    {
        var run = new HostileRun();
        var message = Ike.IsakmpMessage(BystanderFlows.InitiatorCookie, BystanderFlows.ResponderCookie, 1, fromInitiator: false);

        run.HitAndCheck(IsakmpFromRemote(message[..27])).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void BystandersInitiatorCookie_WithAnotherResponderCookie_IsNoMapping()
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.IsakmpIn(BystanderFlows.InitiatorCookie, 0x6666_6666_6666_6666)).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void BystandersCookies_FromARemoteNobodySpokeIsakmpWith_AreNoMapping()
    {
        var run = new HostileRun();
        var message = Ike.IsakmpMessage(BystanderFlows.InitiatorCookie, BystanderFlows.ResponderCookie, 1, fromInitiator: false);

        run.HitAndCheck(Ike.UdpFrame(BystanderFlows.OtherRemote, 500, Public, 500, message)).AssertDropped(DropReason.NoMapping);
    }

    [Fact]
    public void AnotherHostReusingTheBystandersInitiatorCookie_DoesNotTakeItsReplies()
    {
        // The bystander's exchange has its responder cookie, so this is no collision (DESIGN §3.2): the attacker gets
        // an exchange of its own, and replies naming both of the bystander's cookies still go to the bystander.
        var run = new HostileRun();

        run.HitAndCheck(Ike.IsakmpOut(Attacker, BystanderFlows.InitiatorCookie)).AssertForwarded(Side.Outside);
        run.HitAndCheck(Ike.IsakmpOut(Attacker, BystanderFlows.InitiatorCookie, BystanderFlows.ResponderCookie)).AssertForwarded(Side.Outside);
    }

    [Theory]
    [InlineData(new byte[] { 0x00 })]
    [InlineData(new byte[] { 0xFF, 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xC0, 0x20 })]
    public void NatTPayloadThatIsNeitherKeepaliveNorMarkerNorEsp_IsMalformed(byte[] payload)
    {
        var run = new HostileRun();

        run.HitAndCheck(Ike.UdpFrame(Remote, NatTraversal.Port, Public, NatTraversal.Port, payload)).AssertDropped(DropReason.Malformed);
    }

    [Fact]
    public void NatTIsakmpWithALyingLength_IsMalformed()
    {
        var run = new HostileRun();
        var message = WithMessageLength(Ike.IsakmpMessage(0x1234, 0x5678, 1, fromInitiator: true), uint.MaxValue);

        run.HitAndCheck(Ike.UdpFrame(Attacker, NatTraversal.Port, Remote, NatTraversal.Port, [0, 0, 0, 0, .. message])).AssertDropped(DropReason.Malformed);
    }
}
