namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>
/// The outcome of a chain: the action, the chain that decided, and the 1-based number of the rule
/// that matched in that chain (as <c>ipchains -L --line-numbers</c> counts), or 0 when the policy decided.
/// </summary>
public readonly record struct FirewallDecision(FirewallAction Action, FirewallChain Chain, int RuleNumber)
{
    public bool IsPolicy => RuleNumber == 0;

    /// <summary>True for <see cref="FirewallAction.Accept"/> and <see cref="FirewallAction.Masq"/>.</summary>
    public bool Passes => Action is FirewallAction.Accept or FirewallAction.Masq;

    /// <summary><see cref="DropReason.RuleDeny"/>, <see cref="DropReason.RuleReject"/>, or <see cref="DropReason.None"/> when it passes.</summary>
    public DropReason DropReason => Action switch
    {
        FirewallAction.Deny => DropReason.RuleDeny,
        FirewallAction.Reject => DropReason.RuleReject,
        _ => DropReason.None,
    };
}
