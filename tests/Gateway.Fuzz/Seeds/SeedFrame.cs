using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Fuzz.Seeds;

/// <summary>One frame of a real capture, dissected once, with the slices the targets take their seeds from.</summary>
internal sealed class SeedFrame(LinkType linkType, byte[] frame)
{
    public LinkType LinkType { get; } = linkType;
    public byte[] Frame { get; } = frame;
    public Dissection Dissection { get; } = FrameDissector.Dissect(linkType, frame);

    /// <summary>True when the frame holds a whole IPv4 datagram (its transport may still be malformed).</summary>
    public bool HasDatagram => Dissection.EtherType == EtherType.Ipv4 && Dissection.IpTotalLength > 0 && Dissection.NetworkEnd <= Frame.Length;

    /// <summary>The IPv4 datagram without link header or padding.</summary>
    public byte[]? Datagram => HasDatagram ? Frame[Dissection.NetworkOffset..Dissection.NetworkEnd] : null;

    /// <summary>The IP payload when the datagram carries <paramref name="protocol"/> and is not a later fragment.</summary>
    public byte[]? Transport(byte protocol) =>
        HasDatagram && Dissection.Protocol == protocol && Dissection.Kind != FrameKind.Fragment
            ? Frame[Dissection.TransportOffset..Dissection.NetworkEnd]
            : null;

    /// <summary>What the transport carries (TCP/UDP data after the header), when the dissector got that far.</summary>
    public byte[]? Application => HasDatagram && Dissection.IsOk && Dissection.ApplicationOffset > 0 && Dissection.ApplicationOffset <= Dissection.NetworkEnd
        ? Frame[Dissection.ApplicationOffset..Dissection.NetworkEnd]
        : null;

    /// <summary>The datagram in an Ethernet frame: the frame itself if it is one, otherwise a new header before it.</summary>
    public byte[]? AsEthernet()
    {
        if (LinkType == LinkType.Ethernet)
            return Frame;
        if (Datagram is not { } datagram)
            return null;
        var link = new EthernetFields(0x02_00_00_00_00_01, 0x02_00_00_00_00_02, EtherType.Ipv4);
        var ethernet = new byte[link.Length + datagram.Length];
        link.WriteTo(ethernet);
        datagram.CopyTo(ethernet, link.Length);
        return ethernet;
    }
}

/// <summary>A whole capture file: its bytes and its frames in order.</summary>
internal sealed record SeedCapture(string Name, byte[] File, IReadOnlyList<SeedFrame> Frames);
