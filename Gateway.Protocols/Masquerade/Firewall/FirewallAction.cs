namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>What a rule or a chain policy does with a packet. <c>default</c> is <see cref="Deny"/>, so an unset action fails closed.</summary>
public enum FirewallAction : byte
{
    /// <summary>Drop silently (ipchains DENY, ipfwadm deny); the gateway counts it as "rule-deny".</summary>
    Deny,

    /// <summary>Drop and say so (ipchains REJECT, ipfwadm reject); the gateway counts it as "rule-reject".</summary>
    Reject,

    /// <summary>Let the packet through unchanged (ipchains ACCEPT, ipfwadm accept).</summary>
    Accept,

    /// <summary>Forward chain only: let the packet through and masquerade it (ipchains MASQ, ipfwadm -m / masquerade).</summary>
    Masq,
}
