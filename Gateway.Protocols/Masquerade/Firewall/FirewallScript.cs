using System.Diagnostics.CodeAnalysis;

namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>One line read: a rule to append to its chain, or (with no rule) a new policy for the chain.</summary>
internal readonly record struct FirewallCommand(FirewallChain Chain, FirewallAction Action, FirewallRule? Rule);

/// <summary>
/// Reads rule lines in order, each in the ipchains or the ipfwadm form. The leading "ipchains" or
/// "ipfwadm" (or a path ending in one) picks the form; without it, a command followed by a chain name
/// ("-A forward", "-P input") is ipchains and another line with -I, -O or -F is ipfwadm. Later policies for a chain replace earlier ones.
/// </summary>
internal static class FirewallScript
{
    public static bool TryRead(
        IEnumerable<string> lines,
        string insideInterface,
        [NotNullWhen(true)] out FirewallRules? rules,
        [NotNullWhen(false)] out RuleSyntaxError? error)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentException.ThrowIfNullOrWhiteSpace(insideInterface);
        rules = null;
        error = null;
        var appended = new List<FirewallRule>();
        var policies = new[] { FirewallAction.Accept, FirewallAction.Deny, FirewallAction.Accept };
        int number = 0, commands = 0;
        foreach (var line in lines)
        {
            number++;
            string text = WithoutComment(line ?? "");
            string[] words = RuleTokens.Split(text);
            if (words.Length == 0)
                continue;
            bool ipfwadm = IsIpfwadm(ref words);
            var tokens = new RuleTokens(words, number, text);
            if (!(ipfwadm ? IpfwadmLine.TryRead(tokens, out var command) : IpchainsLine.TryRead(tokens, out command)))
            {
                error = tokens.Error ?? new RuleSyntaxError(number, text, "", "unreadable rule");
                return false;
            }

            commands++;
            if (command.Rule is { } rule)
                appended.Add(rule);
            else
                policies[(int)command.Chain] = command.Action;
        }

        // With no rules the inside interface name matters to nothing, so the shared instance serves.
        rules = commands == 0
            ? FirewallRules.MasqueradeEverything
            : new FirewallRules(appended, policies[0], policies[1], policies[2], insideInterface);
        return true;
    }

    private static string WithoutComment(string line)
    {
        int hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? line : line[..hash];
    }

    /// <summary>Which form the line is in; drops a leading program name.</summary>
    private static bool IsIpfwadm(ref string[] words)
    {
        if (IsProgram(words[0], "ipchains"))
        {
            words = words[1..];
            return false;
        }

        if (IsProgram(words[0], "ipfwadm"))
        {
            words = words[1..];
            return true;
        }

        // ipchains names a chain right after its command ("-A forward", "-I input"); ipfwadm never does.
        bool ipchainsCommand = words.Length > 1 && RuleTokens.IsOption(words[0]) && RuleValues.TryChain(words[1], out _);
        return !ipchainsCommand && Array.Exists(words, IpfwadmLine.IsChainFlag);
    }

    private static bool IsProgram(string word, string name) =>
        word.Equals(name, StringComparison.OrdinalIgnoreCase) ||
        (word.EndsWith(name, StringComparison.OrdinalIgnoreCase) && word[^(name.Length + 1)] == '/');
}
