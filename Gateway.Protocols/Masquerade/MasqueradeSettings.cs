namespace VpnMasq.Protocols.Masquerade;

/// <summary>
/// The options plus what changes at run time: the public address when it is "auto", the inside address, and each
/// link's MTU. An immutable value: a change is a new value swapped into <see cref="LiveSettings"/>, so a decision
/// reads one consistent set however the links change meanwhile.
/// </summary>
public sealed record MasqueradeSettings(MasqueradeOptions Options)
{
    public uint PublicAddress { get; init; } = Options.PublicAddress;

    /// <summary>The public address before the last change ("auto"): frames still sent to it are dropped address-changed.</summary>
    public uint PreviousPublicAddress { get; init; }

    /// <summary>
    /// The gateway's own address on the inside link, the source of what it tells inside hosts (ICMP errors, resets).
    /// A live node reads it from the interface; replay has none and answers from the public address.
    /// </summary>
    public uint InsideAddress { get; init; }

    /// <summary>
    /// The MTU of each link. A live node reads it from each interface and follows it when it changes (a PPP link
    /// renegotiates); replay, which has no link, uses Masquerade:Limits:Mtu for both sides.
    /// </summary>
    public int InsideMtu { get; init; } = Options.Limits.Mtu;

    public int OutsideMtu { get; init; } = Options.Limits.Mtu;

    /// <summary>The address the gateway speaks from on <paramref name="side"/>.</summary>
    public uint AddressOn(Side side) => side == Side.Inside && InsideAddress != 0 ? InsideAddress : PublicAddress;

    /// <summary>The MTU of the link a frame leaves on.</summary>
    public int LinkMtu(Side side) => side == Side.Inside ? InsideMtu : OutsideMtu;

    /// <summary>A link's MTU as read from the interface; values below IPv4's minimum of 68 are ignored.</summary>
    public MasqueradeSettings WithLinkMtu(Side side, int mtu)
    {
        if (mtu < Fragments.Fragmenter.MinimumMtu || mtu > ushort.MaxValue)
            return this;
        return side == Side.Inside ? this with { InsideMtu = mtu } : this with { OutsideMtu = mtu };
    }

    /// <summary>The public address moved ("auto", DESIGN §3.7); the old one is remembered to tell late frames why they drop.</summary>
    public MasqueradeSettings WithPublicAddress(uint address) =>
        address == PublicAddress ? this : this with { PreviousPublicAddress = PublicAddress, PublicAddress = address };

    public PortForward? FindPortForward(byte protocol, ushort publicPort)
    {
        var forwards = Options.PortForwards;
        for (int i = 0; i < forwards.Count; i++)
        {
            if (forwards[i].Protocol == protocol && forwards[i].PublicPort == publicPort)
                return forwards[i];
        }

        return null;
    }

    public ProtocolForward? FindProtocolForward(byte protocol)
    {
        var forwards = Options.ProtocolForwards;
        for (int i = 0; i < forwards.Count; i++)
        {
            if (forwards[i].Protocol == protocol)
                return forwards[i];
        }

        return null;
    }

    /// <summary>True when a public port is a forward's, so it is not handed to other inside hosts.</summary>
    public bool IsForwardedPort(byte protocol, ushort publicPort, uint inside)
    {
        var forward = FindPortForward(protocol, publicPort);
        return forward is not null && forward.TargetAddress != inside;
    }
}
