using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using VpnMasq.Node.Logs;
using static VpnMasq.Node.Configuration.SectionValues;

namespace VpnMasq.Node.Configuration;

/// <summary>
/// Binds the <c>Logging</c> section (DESIGN §5.3) as Microsoft.Extensions.Logging reads it —
/// <c>Logging:LogLevel:Default</c> and <c>Logging:LogLevel:CATEGORY</c> — plus <c>Logging:Level</c>, a
/// shorthand for the default. When both default keys are given, the one from the source read later
/// wins (command line over environment over files), as any other key would; within one source,
/// <c>Logging:LogLevel:Default</c> wins.
/// </summary>
internal static class LoggingSettingsBinder
{
    public const string SectionName = "Logging";
    private const string DefaultCategory = "Default";
    private const string DefaultKey = "Logging:LogLevel:Default";
    private const string ShorthandKey = "Logging:Level";

    private static readonly string[] LevelNames = Enum.GetNames<LogLevel>();

    public static LoggingSettings Bind(IConfiguration configuration)
    {
        var logging = configuration.GetSection(SectionName);
        RequireKnownKeys(logging, "LogLevel", "Level");
        var levels = logging.GetSection("LogLevel");
        if (!string.IsNullOrEmpty(levels.Value))
            throw Bad(levels, levels.Value, $"is a single value where categories belong (did you mean {DefaultKey} or {ShorthandKey}?)");

        var settings = new LoggingSettings();
        var categories = new Dictionary<string, LogLevel>(StringComparer.OrdinalIgnoreCase);
        foreach (var category in levels.GetChildren())
        {
            if (!string.Equals(category.Key, DefaultCategory, StringComparison.OrdinalIgnoreCase) && Level(category) is { } level)
                categories[category.Key] = level;
        }

        var standard = Level(levels.GetSection(DefaultCategory));
        var shorthand = Level(logging.GetSection("Level"));
        var defaultLevel = (standard, shorthand) switch
        {
            ({ } s, { } l) => ShorthandGivenLater(configuration) ? l : s,
            _ => standard ?? shorthand ?? settings.Default,
        };
        return settings with { Default = defaultLevel, Categories = categories };
    }

    /// <summary>A level by its Microsoft.Extensions.Logging name, any case; null when absent.</summary>
    private static LogLevel? Level(IConfigurationSection section)
    {
        if (Text(section) is not { } text)
            return null;
        // Enum.TryParse would also take "2" or "Information, Warning"; only the names mean something to a reader.
        string? name = LevelNames.FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is null
            ? throw Bad(section, text, $"is not a log level ({string.Join(", ", LevelNames)})")
            : Enum.Parse<LogLevel>(name);
    }

    /// <summary>Whether the source that last sets either default key sets the shorthand only.</summary>
    private static bool ShorthandGivenLater(IConfiguration configuration)
    {
        if (configuration is not IConfigurationRoot root)
            return false;
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider.TryGet(DefaultKey, out _))
                return false;
            if (provider.TryGet(ShorthandKey, out _))
                return true;
        }

        return false;
    }
}
