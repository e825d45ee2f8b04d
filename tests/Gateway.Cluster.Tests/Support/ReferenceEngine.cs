using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Cluster.Tests.Support;

/// <summary>
/// The single-process engine fed the same frames at the same times: what the cluster sends must be
/// byte for byte what one SingleProcessGateway would send.
/// </summary>
internal sealed class ReferenceEngine
{
    private readonly SingleProcessGateway _gateway = new(new MasqueradeOptions { PublicAddress = PeerScenario.Public });
    private readonly Lock _lock = new();

    public (Verdict Verdict, byte[]? Output) Decide(ScenarioFrame frame, TimeSpan at)
    {
        var copy = frame.Frame.ToArray();
        lock (_lock)
        {
            var verdict = _gateway.Process(copy, frame.Outbound ? Direction.Outbound : Direction.Inbound, at, new List<PeerEvent>());
            return (verdict, verdict.SendInput ? copy : null);
        }
    }
}
