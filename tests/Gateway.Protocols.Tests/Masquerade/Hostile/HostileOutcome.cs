using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

/// <summary>
/// The verdict on a hostile frame and the frames it sends, leaving out ICMP the gateway originates back to the
/// frame's sender (time exceeded, unreachable): that is the gateway's answer, not the frame passing through.
/// </summary>
internal sealed record HostileOutcome(Verdict Verdict, IReadOnlyList<OutputFrame> Sent)
{
    public static HostileOutcome Of(byte[] original, byte[] input, Verdict verdict)
    {
        uint sender = TestFrames.Dissect(original).Source;
        var sent = new List<OutputFrame>();
        if (verdict.SendInput)
            sent.Add(new OutputFrame(input, verdict.Side));
        sent.AddRange(verdict.Extra ?? []);
        sent.RemoveAll(o => IsAnswerTo(o.Frame, sender));
        return new HostileOutcome(verdict, sent);
    }

    public void AssertDropped(DropReason reason)
    {
        Assert.Equal((VerdictAction.Drop, reason), (Verdict.Action, Verdict.Reason));
        Assert.Empty(Sent);
    }

    public void AssertHeld()
    {
        Assert.Equal(VerdictAction.Hold, Verdict.Action);
        Assert.Empty(Sent);
    }

    /// <summary>Forwarded: every frame sent goes out on <paramref name="side"/> with valid checksums.</summary>
    public IReadOnlyList<byte[]> AssertForwarded(Side side)
    {
        Assert.Equal(VerdictAction.Forward, Verdict.Action);
        Assert.NotEmpty(Sent);
        foreach (var output in Sent)
        {
            Assert.Equal(side, output.Side);
            GatewayUnderTest.AssertValid(output.Frame);
        }

        return Sent.Select(o => o.Frame).ToList();
    }

    private static bool IsAnswerTo(byte[] frame, uint sender)
    {
        var d = TestFrames.Dissect(frame);
        return d.IsOk && d.Protocol == IpProtocol.Icmp && sender != 0 && d.Destination == sender;
    }
}
