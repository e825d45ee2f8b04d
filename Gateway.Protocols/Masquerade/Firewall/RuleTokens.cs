namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>The words of one rule line, read front to back; the first problem found is kept.</summary>
internal sealed class RuleTokens
{
    private readonly string[] _tokens;
    private int _next;

    public RuleTokens(string[] tokens, int lineNumber, string line)
    {
        _tokens = tokens;
        LineNumber = lineNumber;
        Line = line;
    }

    public int LineNumber { get; }
    public string Line { get; }
    public RuleSyntaxError? Error { get; private set; }
    public bool AtEnd => _next >= _tokens.Length;

    /// <summary>True when a word follows that is not an option (an address, a port, a target).</summary>
    public bool NextIsValue => !AtEnd && !IsOption(_tokens[_next]);

    public string Take() => _tokens[_next++];

    public bool TryTakeValue(string option, string what, out string value)
    {
        if (NextIsValue)
        {
            value = Take();
            return true;
        }

        value = "";
        return Fail(option, $"missing {what} after {option}");
    }

    /// <summary>Takes a "!" if one is next (ipchains negation).</summary>
    public bool TakeNegation()
    {
        if (AtEnd || _tokens[_next] != "!")
            return false;
        _next++;
        return true;
    }

    public bool Fail(string token, string problem)
    {
        Error ??= new RuleSyntaxError(LineNumber, Line, token, problem);
        return false;
    }

    public static bool IsOption(string token) => token.Length > 1 && token[0] == '-';

    /// <summary>Splits on blanks and turns "--source=10.0.0.0/8" into "--source", "10.0.0.0/8".</summary>
    public static string[] Split(string text)
    {
        var words = text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var tokens = new List<string>(words.Length);
        foreach (var word in words)
        {
            int equals = word.IndexOf('=', StringComparison.Ordinal);
            if (word.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                tokens.Add(word[..equals]);
                tokens.Add(word[(equals + 1)..]);
            }
            else
            {
                tokens.Add(word);
            }
        }

        return [.. tokens];
    }
}
