using System.Collections;
using Microsoft.Extensions.Configuration;

namespace VpnMasq.Node.Configuration;

/// <summary>
/// The node's configuration (DESIGN §4, §5.1, §5.3), lowest priority first: <c>appsettings.json</c>
/// beside the executable (optional), the <c>--config FILE</c> (required when given),
/// <c>VPNMASQ__</c> environment variables, then <c>--Section:Key=value</c> command-line overrides.
/// </summary>
internal static class VpnMasqConfiguration
{
    public const string AppSettingsFileName = "appsettings.json";
    public const string EnvironmentPrefix = "VPNMASQ__";

    /// <param name="args">The whole command line, verb included; the verb and <c>--config FILE</c> are not configuration.</param>
    /// <param name="baseDirectory">Where <c>appsettings.json</c> is looked for; null means the executable's directory.</param>
    /// <param name="environment">Environment variables to read; null means the process environment.</param>
    /// <exception cref="ConfigurationException">The config file is missing, or a file is not valid JSON.</exception>
    public static IConfigurationRoot Build(string[] args, string? baseDirectory, IDictionary<string, string?>? environment = null)
    {
        var arguments = CommandLineArguments.Parse(args);
        var builder = new ConfigurationBuilder();
        builder.AddJsonFile(Path.Combine(Path.GetFullPath(baseDirectory ?? AppContext.BaseDirectory), AppSettingsFileName), optional: true, reloadOnChange: false);
        if (arguments.ConfigFile is { } configFile)
        {
            string path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                string where = path == configFile ? "" : $" (looked for {path})";
                throw ConfigurationException.ForKey(CommandLineArguments.ConfigOption, $"'{configFile}' does not exist or is not a file{where}");
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        builder.AddInMemoryCollection(FromEnvironment(environment ?? ProcessEnvironment()));
        builder.AddCommandLine([.. arguments.Overrides]);
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            throw new ConfigurationException(OneLine(e), e);
        }
    }

    /// <summary>
    /// The mapping <c>AddEnvironmentVariables("VPNMASQ__")</c> makes — prefix dropped, <c>__</c> for
    /// <c>:</c> — done here so an injected environment and the real one take the same path.
    /// </summary>
    private static Dictionary<string, string?> FromEnvironment(IDictionary<string, string?> environment)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (name.Length > EnvironmentPrefix.Length && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                data[name[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value;
        }

        return data;
    }

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            environment[(string)entry.Key] = entry.Value as string;
        return environment;
    }

    /// <summary>"Failed to load configuration from file 'x'." alone hides the line at fault; keep the causes.</summary>
    private static string OneLine(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
            messages.Add(current.Message.Trim());
        return string.Join(" ", messages.Distinct()).ReplaceLineEndings(" ");
    }
}
