using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Peers;
using VpnMasq.Protocols.Tests.Masquerade.Snapshots;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Protocols.Tests.Masquerade.Peers;

// A decision is a value (DESIGN §1, the owner journals before it applies): deciding changes no table, and the
// decision alone, applied to any peer holding the same table, leaves the same table behind.
public sealed class PeerDecisionTests
{
    public static TheoryData<string> Scenarios => PeerScenario.Names;

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Deciding_ChangesNoTable_UntilTheDecisionIsApplied(string scenario)
    {
        var s = PeerScenario.Named(scenario);
        int changing = 0;

        foreach (var next in s.Next)
        {
            var before = s.Live.TakeSnapshot();
            var decision = s.Live.Decide(next.Frame.ToArray(), Dissect(next.Frame), next.Direction, s.Settings, next.At);

            Assert.Equal(before, s.Live.TakeSnapshot());
            s.Live.Apply(decision);
            if (decision.Events.Count > 0)
            {
                changing++;
                Assert.NotEqual(before, s.Live.TakeSnapshot());
            }
        }

        Assert.True(changing > 0, "the scenario's next frames change the table");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void DecidingTheSameFrameTwice_GivesTheSameDecision_AndTheSameBytes(string scenario)
    {
        var s = PeerScenario.Named(scenario);

        foreach (var next in s.Next)
        {
            var first = next.Frame.ToArray();
            var second = next.Frame.ToArray();
            var a = s.Live.Decide(first, Dissect(first), next.Direction, s.Settings, next.At);
            var b = s.Live.Decide(second, Dissect(second), next.Direction, s.Settings, next.At);

            Assert.Equal(a.Verdict with { Extra = null }, b.Verdict with { Extra = null });
            Assert.Equal(a.Events, b.Events);
            Assert.Equal(a.Seen, b.Seen);
            Assert.Equal(first, second);
            s.Live.Apply(a);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void ADecisionAppliedToARestoredPeer_LeavesTheLivePeersTable(string scenario)
    {
        var s = PeerScenario.Named(scenario);
        var restored = s.Restored();

        foreach (var next in s.Next)
        {
            var decision = s.Live.Decide(next.Frame.ToArray(), Dissect(next.Frame), next.Direction, s.Settings, next.At);
            s.Live.Apply(decision);
            restored.Apply(decision);

            Assert.Equal(s.Live.TakeSnapshot(), restored.TakeSnapshot());
        }
    }
}
