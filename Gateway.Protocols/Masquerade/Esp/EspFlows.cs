using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Protocols.Masquerade.Esp;

/// <summary>
/// ESP as a flow cache sees it: an association is established once its reply named the inbound SPI. Out it is
/// found by (inside host, outbound SPI), in by the inbound SPI alone; only the address changes.
/// </summary>
internal static class EspFlows
{
    public static EstablishedFlow Of(EspEntry e) => new(FlowKind.Esp, e.Inside, OutboundKey: e.OutboundSpi, InboundKey: e.InboundSpi);

    public static EstablishedFlow Outgoing(uint inside, uint outboundSpi) => new(FlowKind.Esp, inside, OutboundKey: outboundSpi);

    public static EstablishedFlow Incoming(uint inside, uint inboundSpi) => new(FlowKind.Esp, inside, InboundKey: inboundSpi);

    /// <summary>Outstanding entries stay with the owner: their next frame may start, block or end a turn.</summary>
    public static void Project(EspTable table, List<EstablishedFlow> flows)
    {
        foreach (var e in table.Entries)
        {
            if (!e.IsOutstanding)
                flows.Add(Of(e));
        }
    }

    public static bool TryKey(in Dissection d, Direction direction, uint remote, out FlowLookup key)
    {
        key = d.Spi == 0 ? default : direction == Direction.Outbound
            ? new FlowLookup(FlowKind.Esp, direction, remote, d.Source, d.Spi, 0)
            : new FlowLookup(FlowKind.Esp, direction, remote, 0, d.Spi, 0);
        return d.Spi != 0;
    }

    public static FlowLookup OutboundKey(uint remote, in EstablishedFlow f) => new(FlowKind.Esp, Direction.Outbound, remote, f.Inside, f.OutboundKey, 0);

    public static FlowLookup InboundKey(uint remote, in EstablishedFlow f) => new(FlowKind.Esp, Direction.Inbound, remote, 0, f.InboundKey, 0);

    public static Verdict Translate(byte[] frame, in Dissection d, Direction direction, uint remote, in EstablishedFlow flow, uint publicAddress) =>
        FlowTranslation.Addresses(frame, d, direction, remote, flow.Inside, publicAddress);

    public static bool Touch(EspTable table, in EstablishedFlow flow, TimeSpan at) => FlowTranslation.Touch(table.FindOutbound(flow.Inside, (uint)flow.OutboundKey), at);
}
