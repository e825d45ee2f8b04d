namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>
/// One ipfwadm command, options in any order: a chain (-I, -O, -F), a command (-a POLICY to append a
/// rule, -p POLICY to set the chain policy), and for rules -m (masquerade), -P PROTO, -S ADDR [PORT…],
/// -D ADDR [PORT…], -W IFACE and -V ADDR. Beyond ipfwadm, -P also takes a protocol number.
/// </summary>
internal sealed class IpfwadmLine
{
    private readonly RuleTokens _tokens;
    private readonly RuleDraft _draft;
    private FirewallChain? _chain;
    private string _chainToken = "";
    private string _verb = "";
    private string _policyToken = "";
    private FirewallAction _policy;
    private string _masquerade = "";

    private IpfwadmLine(RuleTokens tokens)
    {
        _tokens = tokens;
        _draft = new RuleDraft(tokens);
    }

    public static bool IsChainFlag(string token) => token is "-I" or "-O" or "-F";

    public static bool TryRead(RuleTokens tokens, out FirewallCommand command) =>
        new IpfwadmLine(tokens).TryRead(out command);

    private bool TryRead(out FirewallCommand command)
    {
        command = default;
        while (!_tokens.AtEnd)
        {
            if (!TryReadOption(_tokens.Take()))
                return false;
        }

        if (_chain is not FirewallChain chain)
            return _tokens.Fail("", "missing chain (-I, -O or -F)");
        if (_verb.Length == 0)
            return _tokens.Fail("", "missing command (-a POLICY or -p POLICY)");
        if (_verb == "-p")
            return TryBuildPolicy(chain, out command);
        if (_masquerade.Length > 0 && !_draft.TryMasquerade(_masquerade))
            return false;
        if (!_draft.TryBuild(chain, _chainToken, _tokens.Line, out var rule))
            return false;
        command = new FirewallCommand(chain, rule.Action, rule);
        return true;
    }

    private bool TryReadOption(string option)
    {
        switch (option)
        {
            case "-I" or "-O" or "-F":
                if (_chain is not null)
                    return _tokens.Fail(option, "chain given twice");
                _chain = option switch { "-I" => FirewallChain.Input, "-F" => FirewallChain.Forward, _ => FirewallChain.Output };
                _chainToken = option;
                return true;
            case "-a" or "-p":
                return TryReadCommand(option);
            case "-m":
                if (_masquerade.Length > 0)
                    return _tokens.Fail(option, "-m given twice");
                _masquerade = option;
                return true;
            case "-P":
                return _draft.TryReadProtocol(option);
            case "-S" or "-D":
                return _draft.TryReadEndpoint(option, isSource: option == "-S", severalPorts: true);
            case "-W":
                return _draft.TryReadInterface(option);
            case "-V":
                return _draft.TryReadInterfaceAddress(option);
            default:
                return _tokens.Fail(option, RuleTokens.IsOption(option) ? "unknown or unsupported option" : "unexpected word");
        }
    }

    private bool TryReadCommand(string option)
    {
        if (_verb.Length > 0)
            return _tokens.Fail(option, "command given twice (-a or -p)");
        _verb = option;
        if (!_tokens.TryTakeValue(option, "a policy", out _policyToken))
            return false;
        if (!RuleValues.TryIpfwadmPolicy(_policyToken, out _policy))
            return _tokens.Fail(_policyToken, "unknown policy (expected accept, deny, reject or masquerade)");
        return option == "-p" || _draft.TrySetAction(_policyToken, _policy);
    }

    private bool TryBuildPolicy(FirewallChain chain, out FirewallCommand command)
    {
        command = default;
        if (_draft.HasRuleOptions || _masquerade.Length > 0)
            return _tokens.Fail(_verb, "a policy (-p) takes no rule options");
        if (_policy == FirewallAction.Masq && chain != FirewallChain.Forward)
            return _tokens.Fail(_policyToken, "masquerade is only a valid policy for the forward chain (-F)");
        command = new FirewallCommand(chain, _policy, null);
        return true;
    }
}
