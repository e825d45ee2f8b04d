using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Masquerade;

/// <summary>An IPv4 network in CIDR form, e.g. 10.0.0.0/8.</summary>
public readonly record struct Cidr(uint Network, int PrefixLength)
{
    public static readonly Cidr Any = new(0, 0);

    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    public bool Contains(uint address) => (address & Mask) == (Network & Mask);

    /// <summary>Parses "a.b.c.d/n", "a.b.c.d" (a /32), or "a.b.c.d/m.m.m.m" (ipfwadm/ipchains netmask form).</summary>
    public static bool TryParse(string? text, out Cidr cidr)
    {
        cidr = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var parts = text.Trim().Split('/');
        if (parts.Length > 2 || !Ipv4Address.TryParse(parts[0], out uint network))
            return false;
        int prefix = 32;
        if (parts.Length == 2)
        {
            if (Ipv4Address.TryParse(parts[1], out uint mask))
            {
                prefix = System.Numerics.BitOperations.PopCount(mask);
                if (prefix != 0 && mask != uint.MaxValue << (32 - prefix))
                    return false;
            }
            else if (!int.TryParse(parts[1], System.Globalization.NumberStyles.None, null, out prefix) || prefix > 32)
            {
                return false;
            }
        }

        cidr = new Cidr(network, prefix);
        return true;
    }

    public static Cidr Parse(string text) =>
        TryParse(text, out var cidr) ? cidr : throw new FormatException($"'{text}' is not an IPv4 CIDR (a.b.c.d/n).");

    public override string ToString() => $"{Ipv4Address.Format(Network)}/{PrefixLength}";
}
