namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>Thrown by <see cref="FirewallRules.Parse"/> for a line it cannot read; <see cref="FirewallRules.TryParse"/> reports the same message.</summary>
public sealed class RuleParseException : FormatException
{
    public RuleParseException()
    {
    }

    public RuleParseException(string message)
        : base(message)
    {
    }

    public RuleParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RuleParseException(RuleSyntaxError error)
        : base(error.Message)
    {
        LineNumber = error.LineNumber;
        Token = error.Token;
        Line = error.Line;
    }

    public int LineNumber { get; }
    public string Token { get; } = "";
    public string Line { get; } = "";
}
