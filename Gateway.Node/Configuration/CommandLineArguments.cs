namespace VpnMasq.Node.Configuration;

/// <summary>
/// Splits <c>vpnmasqd VERB [--config FILE] [--Section:Key=value …]</c> into the verb, the config
/// file, and the overrides for the standard command-line provider, with friendly aliases
/// (<c>--inside eth0</c>) rewritten to the keys they stand for (DESIGN §5.3).
/// </summary>
internal sealed record CommandLineArguments(string? Verb, string? ConfigFile, IReadOnlyList<string> Overrides)
{
    public const string ConfigOption = "--config";

    private static readonly Dictionary<string, string> ValueAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--inside"] = "Node:InsideInterface",
        ["--outside"] = "Node:OutsideInterface",
        ["--data-dir"] = "Node:DataDir",
    };

    /// <summary>A switch: alone it means true; it takes a following "true" or "false".</summary>
    private static readonly Dictionary<string, string> FlagAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--manage-kernel"] = "Node:ManageKernel",
    };

    public static CommandLineArguments Parse(IReadOnlyList<string> args)
    {
        string? verb = null;
        string? configFile = null;
        var overrides = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            var (name, inlineValue) = SplitOption(arg);
            if (i == 0 && !arg.StartsWith('-'))
            {
                verb = arg;
            }
            else if (name.Equals(ConfigOption, StringComparison.OrdinalIgnoreCase))
            {
                if (configFile is not null)
                    throw ConfigurationException.ForKey(ConfigOption, $"given twice ('{configFile}' and '{inlineValue ?? NextOrNull(args, i)}')");
                configFile = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
                if (string.IsNullOrWhiteSpace(configFile))
                    throw ConfigurationException.ForKey(ConfigOption, "a file name is required (--config FILE)");
            }
            else if (ValueAliases.TryGetValue(name, out string? key))
            {
                string? value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
                overrides.Add($"--{key}={value ?? throw ConfigurationException.ForKey(name, $"a value is required ({name} VALUE sets {key})")}");
            }
            else if (FlagAliases.TryGetValue(name, out key))
            {
                string value = inlineValue
                    ?? (i + 1 < args.Count && bool.TryParse(args[i + 1], out _) ? args[++i] : "true");
                overrides.Add($"--{key}={value}");
            }
            else
            {
                overrides.Add(arg);
                // "--Key value": the provider pairs them; keep the value away from the alias checks above.
                if (inlineValue is null && (arg.StartsWith("--", StringComparison.Ordinal) || arg.StartsWith('/')) && i + 1 < args.Count)
                    overrides.Add(args[++i]);
            }
        }

        return new CommandLineArguments(verb, configFile, overrides);
    }

    private static (string Name, string? InlineValue) SplitOption(string arg)
    {
        int equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }

    private static string? NextOrNull(IReadOnlyList<string> args, int i) => i + 1 < args.Count ? args[i + 1] : null;
}
