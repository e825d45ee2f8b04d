namespace VpnMasq.Node.Replay;

/// <summary>
/// The replay verb's own options (DESIGN §5.2): <c>--in</c>, <c>--out</c>, <c>--events</c>. Everything
/// else on the command line is configuration and is handed on untouched.
/// </summary>
internal sealed record ReplayArguments(string Input, string Output, string? Events, string[] Rest)
{
    public static ReplayArguments Parse(string[] args)
    {
        string? input = null, output = null, events = null;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            var (name, value) = Split(args[i]);
            switch (name)
            {
                case "--in":
                    input = value ?? Next(args, ref i, name);
                    break;
                case "--out":
                    output = value ?? Next(args, ref i, name);
                    break;
                case "--events":
                    events = value ?? Next(args, ref i, name);
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        if (input is null || output is null)
            throw new ArgumentException("usage: vpnmasqd replay --in IN.pcap --out OUT.pcap [--events EVENTS.jsonl] [--config FILE] [--Masquerade:Key=value ...]");
        return new ReplayArguments(input, output, events, [.. rest]);
    }

    private static (string Name, string? Value) Split(string arg)
    {
        int eq = arg.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 && arg.StartsWith("--", StringComparison.Ordinal) && !arg.Contains(':', StringComparison.Ordinal)
            ? (arg[..eq], arg[(eq + 1)..])
            : (arg, null);
    }

    private static string Next(string[] args, ref int i, string name)
    {
        if (i + 1 >= args.Length)
            throw new ArgumentException($"{name} needs a file name");
        return args[++i];
    }
}
