using CsCheck;
using VpnMasq.Protocols.Esp;
using VpnMasq.Protocols.Isakmp;

namespace VpnMasq.Protocols.Tests.Support;

/// <summary>CsCheck generators for UDP 4500 payloads (RFC 3948), each with the header fields written into it.</summary>
internal static class NatTPayloads
{
    public static readonly byte[] Keepalive = [0xFF];

    /// <summary>The port pairs NAT-T travels on: 4500 on either side, anything on the other.</summary>
    public static readonly Gen<(ushort Source, ushort Destination)> Ports = Gen.Select(Gen.UShort, Gen.Bool)
        .Select(t => t.Item2 ? (NatTraversal.Port, t.Item1) : (t.Item1, NatTraversal.Port));

    /// <summary>An ESP header with a non-zero SPI (0 would be the non-ESP marker), then 0..64 opaque bytes.</summary>
    public static readonly Gen<(EspFields Fields, byte[] Payload)> Esp =
        Gen.Select(Gen.UInt[1, uint.MaxValue], Gen.UInt, Gen.Byte.Array[0, 64])
            .Select(t =>
            {
                var fields = new EspFields(t.Item1, t.Item2);
                var payload = new byte[EspHeader.Length + t.Item3.Length];
                fields.WriteTo(payload);
                t.Item3.CopyTo(payload, EspHeader.Length);
                return (fields, payload);
            });

    /// <summary>Four zero bytes, then a whole IKEv1 or IKEv2 message of random header fields and body.</summary>
    public static readonly Gen<(IsakmpFields Fields, byte[] Payload)> Isakmp =
        Gen.Select(Gen.Select(Gen.ULong, Gen.ULong, Gen.Int[1, 2]), Gen.Byte, Gen.Int[0, 15], Gen.Byte, Gen.Byte, Gen.UInt, Gen.Int[0, 64])
            .SelectMany(t => Gen.Byte.Array[IsakmpHeader.Length + t.Item7].Select(message =>
            {
                var fields = new IsakmpFields(t.Item1.Item1, t.Item1.Item2, t.Item2, (byte)t.Item1.Item3, (byte)t.Item3, t.Item4, t.Item5, t.Item6, (uint)message.Length);
                fields.WriteTo(message);
                var payload = new byte[NatTraversal.NonEspMarkerLength + message.Length];
                message.CopyTo(payload, NatTraversal.NonEspMarkerLength);
                return (fields, payload);
            }));
}
