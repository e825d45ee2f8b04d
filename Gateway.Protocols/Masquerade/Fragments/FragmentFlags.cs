namespace VpnMasq.Protocols.Masquerade.Fragments;

/// <summary>The Flags + Fragment Offset word of the IPv4 header (RFC 791 §3.1), as the fragment code rewrites it.</summary>
internal static class FragmentFlags
{
    /// <summary>The reserved bit and DF: carried unchanged into every fragment and into the reassembled datagram.</summary>
    public const ushort KeptFlags = 0xC000;
    public const ushort MoreFragments = 0x2000;

    public static ushort Compose(ushort original, bool moreFragments, int offsetBytes) =>
        (ushort)((original & KeptFlags) | (moreFragments ? MoreFragments : 0) | (offsetBytes / 8));
}
