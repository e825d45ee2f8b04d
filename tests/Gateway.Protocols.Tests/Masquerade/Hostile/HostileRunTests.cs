using VpnMasq.Protocols.Masquerade;
using Xunit.Sdk;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

// The frame-by-frame check of the hostile suite must be able to fail: a frame that does touch a bystander is caught.
public sealed class HostileRunTests
{
    [Fact]
    public void BystanderCheck_Fails_WhenAFrameRefreshedABystandersMapping()
    {
        var run = new HostileRun();
        run.Hit(UdpFrame(Remote, 53, Public, 5000, [9])).AssertForwarded(Side.Inside);

        Assert.ThrowsAny<XunitException>(run.AssertBystandersUnaffected);
    }
}
