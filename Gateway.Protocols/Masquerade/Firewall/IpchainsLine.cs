namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>
/// One ipchains command: "-P chain POLICY" or "-A chain [-j TARGET] [-p PROTO] [-s [!] ADDR [[!] PORT[:PORT]]]
/// [-d [!] ADDR [[!] PORT[:PORT]]] [-i IFACE]", with the long forms --append, --policy, --jump, --protocol,
/// --source/--src, --destination/--dst, --source-port/--sport, --destination-port/--dport, --icmp-type, --interface.
/// </summary>
internal static class IpchainsLine
{
    private static bool IsCommand(string token) => token is "-A" or "--append" or "-P" or "--policy";

    public static bool TryRead(RuleTokens tokens, out FirewallCommand command)
    {
        command = default;
        if (tokens.AtEnd)
            return tokens.Fail(tokens.Line.Trim(), "missing command (-A chain … or -P chain POLICY)");
        string verb = tokens.Take();
        if (!IsCommand(verb))
            return tokens.Fail(verb, "unknown or unsupported command (expected -A chain … or -P chain POLICY)");
        if (!tokens.TryTakeValue(verb, "a chain name", out var chainToken))
            return false;
        if (!RuleValues.TryChain(chainToken, out var chain))
            return tokens.Fail(chainToken, "unknown chain (expected input, forward or output)");
        return verb is "-P" or "--policy"
            ? TryReadPolicy(tokens, verb, chain, out command)
            : TryReadRule(tokens, chain, chainToken, out command);
    }

    private static bool TryReadPolicy(RuleTokens tokens, string verb, FirewallChain chain, out FirewallCommand command)
    {
        command = default;
        if (!tokens.TryTakeValue(verb, "a policy", out var target))
            return false;
        if (!RuleValues.TryIpchainsTarget(target, out var policy))
            return tokens.Fail(target, "unknown policy (expected ACCEPT, DENY, REJECT or MASQ)");
        if (policy == FirewallAction.Masq && chain != FirewallChain.Forward)
            return tokens.Fail(target, "MASQ is only a valid policy for the forward chain");
        if (!tokens.AtEnd)
            return tokens.Fail(tokens.Take(), "unexpected word after the policy");
        command = new FirewallCommand(chain, policy, null);
        return true;
    }

    private static bool TryReadRule(RuleTokens tokens, FirewallChain chain, string chainToken, out FirewallCommand command)
    {
        command = default;
        var draft = new RuleDraft(tokens);
        while (!tokens.AtEnd)
        {
            string option = tokens.Take();
            bool ok = option switch
            {
                "-j" or "--jump" => TryReadTarget(tokens, draft, option),
                "-p" or "--protocol" => draft.TryReadProtocol(option),
                "-s" or "--source" or "--src" => draft.TryReadEndpoint(option, isSource: true, severalPorts: false),
                "-d" or "--destination" or "--dst" => draft.TryReadEndpoint(option, isSource: false, severalPorts: false),
                "--source-port" or "--sport" or "--icmp-type" => draft.TryReadPorts(option, isSource: true, severalPorts: false),
                "--destination-port" or "--dport" => draft.TryReadPorts(option, isSource: false, severalPorts: false),
                "-i" or "--interface" => draft.TryReadInterface(option),
                _ when !RuleTokens.IsOption(option) => tokens.Fail(option, "unexpected word (ipchains takes one port or range after an address)"),
                _ => tokens.Fail(option, "unknown or unsupported option"),
            };
            if (!ok)
                return false;
        }

        if (!draft.TryBuild(chain, chainToken, tokens.Line, out var rule))
            return false;
        command = new FirewallCommand(chain, rule.Action, rule);
        return true;
    }

    private static bool TryReadTarget(RuleTokens tokens, RuleDraft draft, string option)
    {
        if (!tokens.TryTakeValue(option, "a target", out var target))
            return false;
        return RuleValues.TryIpchainsTarget(target, out var action)
            ? draft.TrySetAction(target, action)
            : tokens.Fail(target, "unknown or unsupported target (expected ACCEPT, DENY, REJECT or MASQ)");
    }
}
