using VpnMasq.Protocols;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Fuzz.Engine;

/// <summary>Makes a mutated frame's checksums right again, so the fuzzer reaches past the gateway's checksum intake.</summary>
internal static class Checksums
{
    public static void Fill(Span<byte> frame)
    {
        if (EthernetHeader.Parse(frame, out var eth) != ParseStatus.Ok || eth.EtherType != EtherType.Ipv4)
            return;
        var datagram = frame[eth.Length..];
        if (Ipv4Header.Parse(datagram, out var ip) != ParseStatus.Ok)
            return;
        int field = TransportChecksum.FieldOffset(ip.Protocol);
        if (ip.IsFragment || field < 0 || ip.Payload.Length < field + 2)
        {
            datagram[Ipv4Header.ChecksumOffset] = 0;
            datagram[Ipv4Header.ChecksumOffset + 1] = 0;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(
                datagram[Ipv4Header.ChecksumOffset..], InternetChecksum.Compute(datagram[..ip.HeaderLength]));
            return;
        }

        TransportChecksum.Fill(datagram[..ip.TotalLength]);
    }
}
