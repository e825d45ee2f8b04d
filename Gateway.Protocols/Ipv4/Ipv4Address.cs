using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace VpnMasq.Protocols.Ipv4;

/// <summary>IPv4 addresses are carried as host-order <see cref="uint"/> on the hot path; these convert at the edges.</summary>
public static class Ipv4Address
{
    public static uint FromIPAddress(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"'{address}' is not an IPv4 address.", nameof(address));
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress ToIPAddress(uint address)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes);
    }

    public static uint Parse(string text) =>
        TryParse(text, out uint address) ? address : throw new FormatException($"'{text}' is not an IPv4 address.");

    public static bool TryParse(string? text, out uint address)
    {
        address = 0;
        if (text is null || !IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
            return false;
        // IPAddress.TryParse accepts "10" as 0.0.0.10; require the dotted quad a user means.
        if (text.Count(c => c == '.') != 3)
            return false;
        address = FromIPAddress(ip);
        return true;
    }

    public static string Format(uint address) =>
        $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}";
}
