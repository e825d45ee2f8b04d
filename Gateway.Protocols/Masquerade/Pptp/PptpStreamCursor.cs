using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using VpnMasq.Protocols.Pptp;

namespace VpnMasq.Protocols.Masquerade.Pptp;

/// <summary>
/// Where one direction of a PPTP control connection stands in its message stream: the next TCP
/// sequence number and the position inside the current message. A value type, so a segment can
/// be read on a copy and committed only when it was well-formed.
/// </summary>
internal struct PptpStreamCursor
{
    public bool Synced;
    public uint NextSequence;

    /// <summary>Bytes of the current message already seen.</summary>
    public int Position;
    public HeaderBytes Header;
    public PptpMessageLayout Layout;
    public byte FieldHigh;
    public ushort CallIdValue;
    public ushort PeerCallIdValue;
    public byte ResultCode;

    public readonly int MessageLength => Position >= 2 ? (Header[0] << 8) | Header[1] : 0;
    public readonly PptpControlType Type => (PptpControlType)((Header[8] << 8) | Header[9]);

    public void StartMessage()
    {
        Position = 0;
        Layout = default;
        CallIdValue = 0;
        PeerCallIdValue = 0;
        ResultCode = 0;
    }

    /// <summary>Checks a complete 12-byte header (RFC 2637 §1.4): magic cookie, control message type, length.</summary>
    public bool ValidateHeader()
    {
        ReadOnlySpan<byte> header = Header;
        if (BinaryPrimitives.ReadUInt32BigEndian(header[4..]) != PptpControlMessage.MagicCookie
            || BinaryPrimitives.ReadUInt16BigEndian(header[2..]) != 1
            || !PptpMessageLayout.TryGet(BinaryPrimitives.ReadUInt16BigEndian(header[8..]), out var layout)
            || MessageLength < layout.Length)
            return false;
        Layout = layout;
        return true;
    }

    [InlineArray(PptpControlMessage.HeaderLength)]
    public struct HeaderBytes
    {
        private byte _element;
    }
}
