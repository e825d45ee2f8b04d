using VpnMasq.Protocols;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Icmp;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Actors.Serialization;

/// <summary>
/// Layout of a <see cref="Dissection"/>, every field in declaration order, so an owner on another node decides
/// on the dissection the capturing node took and never parses the frame again. TCP flags and the ICMP type are
/// written as their raw byte: any combination of flags, and any ICMP type a frame carried, is a valid value.
/// </summary>
internal static class DissectionFormat
{
    public static void Write(PayloadWriter w, in Dissection d) =>
        w.Enum(d.Status).Enum(d.FailedLayer).Enum(d.Kind).UInt16(d.EtherType)
            .Int32(d.NetworkOffset).Int32(d.IpHeaderLength).Int32(d.IpTotalLength).Byte(d.Protocol)
            .UInt32(d.Source).UInt32(d.Destination).UInt16(d.IpIdentification).Bool(d.IsFragment).Bool(d.DontFragment)
            .Int32(d.TransportOffset).UInt16(d.SourcePort).UInt16(d.DestinationPort).Byte((byte)d.TcpFlags)
            .Int32(d.ApplicationOffset).Byte((byte)d.IcmpType).UInt16(d.IcmpIdentifier).UInt32(d.QuotedDestination)
            .UInt32(d.Spi).UInt64(d.InitiatorCookie).UInt64(d.ResponderCookie).Byte(d.IsakmpMajorVersion).Byte(d.GreVersion)
            .UInt16(d.GreCallId);

    public static Dissection Read(PayloadReader r) => new()
    {
        Status = r.Enum<ParseStatus>(),
        FailedLayer = r.Enum<FrameLayer>(),
        Kind = r.Enum<FrameKind>(),
        EtherType = r.UInt16(),
        NetworkOffset = r.Int32(),
        IpHeaderLength = r.Int32(),
        IpTotalLength = r.Int32(),
        Protocol = r.Byte(),
        Source = r.UInt32(),
        Destination = r.UInt32(),
        IpIdentification = r.UInt16(),
        IsFragment = r.Bool(),
        DontFragment = r.Bool(),
        TransportOffset = r.Int32(),
        SourcePort = r.UInt16(),
        DestinationPort = r.UInt16(),
        TcpFlags = (TcpFlags)r.Byte(),
        ApplicationOffset = r.Int32(),
        IcmpType = (IcmpType)r.Byte(),
        IcmpIdentifier = r.UInt16(),
        QuotedDestination = r.UInt32(),
        Spi = r.UInt32(),
        InitiatorCookie = r.UInt64(),
        ResponderCookie = r.UInt64(),
        IsakmpMajorVersion = r.Byte(),
        GreVersion = r.Byte(),
        GreCallId = r.UInt16(),
    };
}
