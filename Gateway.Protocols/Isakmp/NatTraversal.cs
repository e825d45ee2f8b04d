using System.Buffers.Binary;

namespace VpnMasq.Protocols.Isakmp;

/// <summary>What a UDP 4500 payload carries (RFC 3948 §2, RFC 3947 §4).</summary>
internal enum NatTPayloadKind : byte
{
    /// <summary>A single 0xFF byte that keeps the NAT mapping open (RFC 3948 §2.3).</summary>
    Keepalive,

    /// <summary>Four zero bytes, then an ISAKMP/IKE message.</summary>
    Isakmp,

    /// <summary>UDP-encapsulated ESP: the first four bytes are a non-zero SPI.</summary>
    Esp,
}

internal static class NatTraversal
{
    public const ushort Port = 4500;
    public const int NonEspMarkerLength = 4;

    /// <summary>Classifies a UDP 4500 payload. Anything else is malformed.</summary>
    public static ParseStatus Classify(ReadOnlySpan<byte> payload, out NatTPayloadKind kind)
    {
        kind = default;
        if (payload.Length == 1)
        {
            if (payload[0] != 0xFF)
                return ParseStatus.Malformed;
            kind = NatTPayloadKind.Keepalive;
            return ParseStatus.Ok;
        }

        if (payload.Length < NonEspMarkerLength)
            return ParseStatus.TooShort;
        if (BinaryPrimitives.ReadUInt32BigEndian(payload) == 0)
        {
            kind = NatTPayloadKind.Isakmp;
            return ParseStatus.Ok;
        }

        if (payload.Length < Esp.EspHeader.Length)
            return ParseStatus.TooShort;
        kind = NatTPayloadKind.Esp;
        return ParseStatus.Ok;
    }
}
