using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Fragments;
using VpnMasq.Protocols.Tests.Support;

namespace VpnMasq.Protocols.Tests.Masquerade.Fragments;

/// <summary>Ethernet frames of whole datagrams and of hand-built fragments, and a helper to feed a reassembler.</summary>
internal static class FragmentFrames
{
    public const int LinkLength = EthernetHeader.UntaggedLength;
    public const ushort IkeId = 0x1234;
    public const ulong GatewayMac = 0x0200_0000_0001;
    public static readonly TimeSpan Now = TimeSpan.FromSeconds(100);

    public static byte[] WithEthernet(ReadOnlySpan<byte> datagram, ulong sourceMac = GatewayMac)
    {
        var frame = new byte[LinkLength + datagram.Length];
        new EthernetFields(0x0200_0000_0002, sourceMac, EtherType.Ipv4).WriteTo(frame);
        datagram.CopyTo(frame.AsSpan(LinkLength));
        return frame;
    }

    /// <summary>A UDP 500 → 500 datagram of <paramref name="totalLength"/> bytes with valid checksums, as IKE with certificates sends.</summary>
    public static byte[] IkeMessage(int totalLength = 3000, uint source = Datagrams.Inside, ushort id = IkeId)
    {
        var fields = new Ipv4Fields(source, Datagrams.Remote, IpProtocol.Udp, 0, id);
        var data = Pattern(totalLength - fields.HeaderLength - 8, seed: 3);
        return WithEthernet(Datagrams.Build(fields, Datagrams.UdpSegment(500, 500, data)));
    }

    /// <summary>One hand-built fragment frame of a UDP datagram with <paramref name="id"/>.</summary>
    public static byte[] Fragment(int offsetBytes, bool more, byte[] payload, ushort id = IkeId, byte[]? options = null)
    {
        var fields = new Ipv4Fields(
            Datagrams.Inside, Datagrams.Remote, IpProtocol.Udp, 0, id,
            MoreFragments: more, FragmentOffsetBytes: offsetBytes, Options: options);
        return WithEthernet(Datagrams.BuildUnchecked(fields, payload));
    }

    /// <summary>Bytes that differ from their neighbours and from other seeds, so a misplaced byte shows.</summary>
    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = (byte)((i * 7) + seed + (i >> 8));
        return bytes;
    }

    public static IReadOnlyList<byte[]> Split(byte[] frame, int mtu) => Fragmenter.Fragment(frame, LinkLength, mtu);

    public static FragmentReassembler NewReassembler() => new(new LimitOptions());

    /// <summary>Feeds <paramref name="frames"/> in order and returns every result.</summary>
    public static List<ReassemblyResult> Feed(FragmentReassembler reassembler, IEnumerable<byte[]> frames) =>
        frames.Select(frame => reassembler.Add(frame, LinkLength, Now)).ToList();
}
