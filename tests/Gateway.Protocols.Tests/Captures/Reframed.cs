using System.Buffers.Binary;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>Real frames moved onto a link type no shared capture uses.</summary>
internal static class Reframed
{
    private const ushort ArphrdEther = 1;
    private const ushort SentByUs = 4;

    /// <summary>
    /// An untagged Ethernet II frame as Linux would record it on "any": a 16-byte cooked header
    /// (sent by us, ARPHRD_ETHER, the 6-byte source MAC, the EtherType), then the same payload.
    /// </summary>
    public static byte[] AsLinuxCooked(ReadOnlySpan<byte> ethernetFrame)
    {
        var payload = ethernetFrame[EthernetHeader.UntaggedLength..];
        var frame = new byte[LinuxCookedHeader.Length + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, SentByUs);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), ArphrdEther);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), 6);
        ethernetFrame[6..12].CopyTo(frame.AsSpan(6));
        ethernetFrame[12..14].CopyTo(frame.AsSpan(14));
        payload.CopyTo(frame.AsSpan(LinuxCookedHeader.Length));
        return frame;
    }
}
