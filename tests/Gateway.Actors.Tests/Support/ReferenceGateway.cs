using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Actors.Tests.Support;

/// <summary>
/// The whole gateway as one pure object (<see cref="SingleProcessGateway.Process(byte[], Direction?, TimeSpan, List{PeerEvent})"/>):
/// what a node without a cluster would decide, and the reference the ingress pipeline must match byte for byte.
/// </summary>
internal sealed class ReferenceGateway(MasqueradeOptions options)
{
    private readonly SingleProcessGateway _gateway = new(options);

    /// <summary>Decides a copy of the frame; returns the verdict and the frame as rewritten.</summary>
    public (Verdict Verdict, byte[] Frame) Decide(TrafficFrame traffic)
    {
        var frame = traffic.Frame.ToArray();
        var verdict = _gateway.Process(frame, traffic.Direction, traffic.At, []);
        return (verdict, frame);
    }
}
