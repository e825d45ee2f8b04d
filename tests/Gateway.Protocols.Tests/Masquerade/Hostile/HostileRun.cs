using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

/// <summary>
/// Two gateways with the same <see cref="BystanderFlows"/>: the target sees the hostile frames, the twin never
/// does. After each hostile frame, <see cref="AssertBystandersUnaffected"/> checks the bystanders' table rows
/// and then sends every bystander flow's next frames to both, which must come out byte for byte the same.
/// </summary>
internal sealed class HostileRun
{
    // Short, so that a fragment train checked frame by frame still completes within the fragment timeout.
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private readonly BystanderFlows _flows;

    public HostileRun(Func<MasqueradeOptions, MasqueradeOptions>? configure = null)
    {
        Target = GatewayUnderTest.Create(configure);
        Twin = GatewayUnderTest.Create(configure);
        _ = new BystanderFlows(Target);
        _flows = new BystanderFlows(Twin);
        Assert.Equal(BystanderFlows.RowsOf(Twin.Gateway), BystanderFlows.RowsOf(Target.Gateway));
    }

    public GatewayUnderTest Target { get; }
    public GatewayUnderTest Twin { get; }

    /// <summary>The clock both gateways share.</summary>
    public TimeSpan Now => Target.Now;

    /// <summary>The hostile frame, to the target only, a step (0.1 s) after the last frame. No exception may escape.</summary>
    public HostileOutcome Hit(byte[] frame, Direction? direction = null)
    {
        Advance();
        var input = frame.ToArray();
        var verdict = default(Verdict);
        var thrown = Record.Exception(() => verdict = Target.Gateway.Process(input, direction, Now, Target.Events));
        Assert.Null(thrown);
        return HostileOutcome.Of(frame, input, verdict);
    }

    /// <summary><see cref="Hit"/>, then <see cref="AssertBystandersUnaffected"/>.</summary>
    public HostileOutcome HitAndCheck(byte[] frame, Direction? direction = null)
    {
        var outcome = Hit(frame, direction);
        AssertBystandersUnaffected();
        return outcome;
    }

    /// <summary>
    /// The bystanders' rows are as on the twin; then each flow's next frames, both directions, are forwarded by
    /// both gateways with the same verdict and the same bytes, and the rows still agree afterwards.
    /// </summary>
    public void AssertBystandersUnaffected()
    {
        Assert.Equal(BystanderFlows.RowsOf(Twin.Gateway), BystanderFlows.RowsOf(Target.Gateway));
        Advance();
        foreach (var frame in _flows.NextFrames())
        {
            var expected = Twin.Send(frame);
            var actual = Target.Send(frame);
            Assert.Equal(VerdictAction.Forward, expected.Verdict.Action);
            Assert.Equal(expected.Verdict with { Extra = null }, actual.Verdict with { Extra = null });
            Assert.Equal(expected.Outputs.Count, actual.Outputs.Count);
            for (int i = 0; i < expected.Outputs.Count; i++)
            {
                Assert.Equal(expected.Outputs[i].Side, actual.Outputs[i].Side);
                Assert.Equal(expected.Outputs[i].Frame, actual.Outputs[i].Frame);
            }
        }

        Assert.Equal(BystanderFlows.RowsOf(Twin.Gateway), BystanderFlows.RowsOf(Target.Gateway));
    }

    /// <summary>
    /// As <see cref="AssertBystandersUnaffected"/> for the VPN sessions alone (host C's SA and exchange, host D's call):
    /// after a flood of new flows, plain mappings may have been evicted, these may not.
    /// </summary>
    public void AssertVpnSessionsUnaffected()
    {
        var before = BystanderFlows.VpnSessionRowsOf(Twin.Gateway);
        Assert.Equal(4, before.Count);
        Assert.Equal(before, BystanderFlows.VpnSessionRowsOf(Target.Gateway));
        Advance();
        foreach (var frame in _flows.NextFrames(vpnOnly: true))
        {
            var expected = Twin.Send(frame);
            var actual = Target.Send(frame);
            Assert.Equal(VerdictAction.Forward, expected.Verdict.Action);
            Assert.Equal(expected.Verdict with { Extra = null }, actual.Verdict with { Extra = null });
            Assert.Equal(expected.Outputs.Select(o => o.Frame), actual.Outputs.Select(o => o.Frame));
        }
    }

    /// <summary>
    /// Sends <paramref name="frames"/> to the target only, <paramref name="step"/> apart, and tallies the verdicts by
    /// action and drop reason; counts the entries evicted and the frames it took until the first eviction or refusal.
    /// </summary>
    public FloodTally Flood(IEnumerable<byte[]> frames, TimeSpan step)
    {
        var verdicts = new Dictionary<string, int>();
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        int sent = 0;
        int? toLimit = null;
        foreach (var frame in frames)
        {
            Target.Now += step;
            int eventsBefore = Target.Events.Count;
            var verdict = default(Verdict);
            Assert.Null(Record.Exception(() => verdict = Target.Gateway.Process(frame.ToArray(), null, Target.Now, Target.Events)));
            sent++;
            string key = verdict.Action == VerdictAction.Drop ? verdict.Reason.Code() : verdict.Action.ToString().ToLowerInvariant();
            verdicts[key] = verdicts.GetValueOrDefault(key) + 1;
            bool atLimit = verdict.Reason is DropReason.TableFull or DropReason.PeerLimit;
            for (int i = eventsBefore; i < Target.Events.Count; i++)
                atLimit |= FloodTally.IsEviction(Target.Events[i]);
            if (atLimit)
                toLimit ??= sent;
        }

        Twin.Now = Target.Now;
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(t0);
        return new FloodTally(verdicts, Target.Events.Count(FloodTally.IsEviction), toLimit, elapsed / Math.Max(sent, 1));
    }

    private void Advance()
    {
        Target.Now += Step;
        Twin.Now = Target.Now;
    }

}
