using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Rewriting;

namespace VpnMasq.Protocols.Masquerade.Flows;

/// <summary>
/// The address half of every translation: out with the public address, in to the inside host. Each protocol's
/// <c>XxxFlows.Translate</c> adds its own key (port, identifier, Call ID) and is the one function both the owner's
/// rules and the flow cache call, so the two agree by construction.
/// </summary>
internal static class FlowTranslation
{
    public static Verdict Addresses(byte[] frame, in Dissection d, Direction direction, uint remote, uint inside, uint publicAddress)
    {
        var datagram = Datagram(frame, d);
        if (direction == Direction.Outbound)
        {
            PacketRewriter.SetSourceAddress(datagram, publicAddress);
            return Verdict.Send(ProtocolLabels.Of(d), remote, inside, Side.Outside);
        }

        PacketRewriter.SetDestinationAddress(datagram, inside);
        return Verdict.Send(ProtocolLabels.Of(d), remote, inside, Side.Inside);
    }

    public static Span<byte> Datagram(byte[] frame, in Dissection d) => frame.AsSpan(d.NetworkOffset, d.IpTotalLength);

    public static TimeSpan Later(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Keeps <paramref name="entry"/> alive up to <paramref name="at"/>; false when the table no longer holds it.</summary>
    public static bool Touch(IFlowEntry? entry, TimeSpan at)
    {
        entry?.Saw(at);
        return entry is not null;
    }
}
