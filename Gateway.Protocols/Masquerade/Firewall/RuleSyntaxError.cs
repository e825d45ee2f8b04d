namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>What is wrong with a rule line: its 1-based number, its text, the offending token and the problem.</summary>
public readonly record struct RuleSyntaxError(int LineNumber, string Line, string Token, string Problem)
{
    public string Message => Token.Length == 0
        ? $"line {LineNumber}: {Problem} in \"{Line.Trim()}\""
        : $"line {LineNumber}: {Problem} at '{Token}' in \"{Line.Trim()}\"";

    public override string ToString() => Message;
}
