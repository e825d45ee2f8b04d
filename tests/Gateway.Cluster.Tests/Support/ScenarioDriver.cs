using System.Collections.Concurrent;
using Xunit;

namespace VpnMasq.Cluster.Tests.Support;

/// <summary>Sends scenario frames to nodes and checks each answer against the reference engine.</summary>
internal sealed class ScenarioDriver(ReferenceEngine reference)
{
    public ConcurrentBag<string> Failures { get; } = [];

    public static TimeSpan Now => DateTime.UtcNow - DateTime.UnixEpoch;

    /// <summary>Sends <paramref name="frame"/> to <paramref name="node"/>; records a failure unless the answer matches the reference.</summary>
    public async Task<NodeDecision> SendAsync(TestNodeProcess node, PeerScenario peer, ScenarioFrame frame, string? expectSource = null)
    {
        var at = Now;
        var (verdict, output) = reference.Decide(frame, at);
        var decision = await node.DecideAsync(frame.Frame, frame.Outbound, at);
        string expected = verdict.Action.ToString().ToLowerInvariant();
        if (decision.Action != expected)
            Failures.Add($"peer {peer.RemoteText} {frame.Description} on {node.Name}: {decision}, reference {expected} {verdict.Reason}");
        else if (output is not null && (decision.Output is null || !decision.Output.AsSpan().SequenceEqual(output)))
            Failures.Add($"peer {peer.RemoteText} {frame.Description} on {node.Name}: output differs from the reference engine's");
        else if (expectSource is not null && decision.Source != expectSource)
            Failures.Add($"peer {peer.RemoteText} {frame.Description} on {node.Name}: decided by {decision.Source}, expected {expectSource}");
        return decision;
    }

    public void AssertNoFailures(string stage)
    {
        if (!Failures.IsEmpty)
            Assert.Fail($"{stage}: {Failures.Count} frames wrong, e.g.\n{string.Join('\n', Failures.Take(10))}");
    }
}
