namespace VpnMasq.Protocols.Masquerade;

/// <summary>Why the gateway dropped a frame (DESIGN §3.8, §5.2). Every drop has one.</summary>
public enum DropReason : byte
{
    None = 0,
    Malformed,
    NoMapping,
    RuleDeny,
    RuleReject,
    EspInitBlocked,
    EspZeroSpi,
    EspParallelRefused,
    IsakmpZeroCookie,
    IsakmpCookieCollision,
    AhNotMasqueradable,
    PptpOutOfOrder,
    PptpCallIdExhausted,
    PortsExhausted,
    TableFull,
    FragmentTimeout,
    FragmentInvalid,
    NotIpv4,
    UnsupportedProtocol,
    AddressChanged,

    /// <summary>The peer's owner did not answer in time (its node died and its shards have not moved yet).</summary>
    OwnerUnavailable,

    /// <summary>An IPv4 header or TCP/UDP/ICMP checksum is wrong (not merely left to offload): the frame was damaged.</summary>
    BadChecksum,

    /// <summary>The datagram's TTL would reach 0 here: a router does not forward it (RFC 1812 §5.3.1).</summary>
    TtlExceeded,

    /// <summary>A new remote peer beyond Masquerade:Limits:Peers (per node in a cluster): refused, nothing kept for it.</summary>
    PeerLimit,

    /// <summary>A datagram with DF set is larger than the outgoing link's MTU: ICMP Fragmentation Needed goes back (RFC 1191).</summary>
    FragmentationNeeded,
}

public static class DropReasons
{
    /// <summary>The stable, kebab-case code used in events, logs and counters (DESIGN §5.2).</summary>
    public static string Code(this DropReason reason) => reason switch
    {
        DropReason.None => "",
        DropReason.Malformed => "malformed",
        DropReason.NoMapping => "no-mapping",
        DropReason.RuleDeny => "rule-deny",
        DropReason.RuleReject => "rule-reject",
        DropReason.EspInitBlocked => "esp-init-blocked",
        DropReason.EspZeroSpi => "esp-zero-spi",
        DropReason.EspParallelRefused => "esp-parallel-refused",
        DropReason.IsakmpZeroCookie => "isakmp-zero-cookie",
        DropReason.IsakmpCookieCollision => "isakmp-cookie-collision",
        DropReason.AhNotMasqueradable => "ah-not-masqueradable",
        DropReason.PptpOutOfOrder => "pptp-out-of-order",
        DropReason.PptpCallIdExhausted => "pptp-call-id-exhausted",
        DropReason.PortsExhausted => "ports-exhausted",
        DropReason.TableFull => "table-full",
        DropReason.FragmentTimeout => "fragment-timeout",
        DropReason.FragmentInvalid => "fragment-invalid",
        DropReason.NotIpv4 => "not-ipv4",
        DropReason.UnsupportedProtocol => "unsupported-protocol",
        DropReason.AddressChanged => "address-changed",
        DropReason.OwnerUnavailable => "owner-unavailable",
        DropReason.BadChecksum => "bad-checksum",
        DropReason.TtlExceeded => "ttl-exceeded",
        DropReason.PeerLimit => "peer-limit",
        DropReason.FragmentationNeeded => "fragmentation-needed",
        _ => reason.ToString().ToLowerInvariant(),
    };
}
