using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Flows;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Actors.Tests.Support;

/// <summary>One ESP SA between InsideA and <see cref="Remote"/>: the initial packet, the reply that associates it, and the flow it makes.</summary>
internal static class EspSa
{
    public const uint OutboundSpi = 0x1001;
    public const uint InboundSpi = 0x2001;

    public static readonly TrafficFrame Initial = new(EspFrame(InsideA, Remote, OutboundSpi), Direction.Outbound, TimeSpan.FromSeconds(1));
    public static readonly TrafficFrame Reply = new(EspFrame(Remote, Public, InboundSpi), Direction.Inbound, TimeSpan.FromSeconds(2));

    /// <summary>What the owner publishes once the reply has associated the SA.</summary>
    public static readonly EstablishedFlow Flow = new(FlowKind.Esp, InsideA, OutboundKey: OutboundSpi, InboundKey: InboundSpi);
}
