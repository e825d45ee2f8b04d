using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace VpnMasq.Node.Logs;

/// <summary>
/// Which log lines are written (DESIGN §5.3): a default level and levels per category, with the
/// meaning Microsoft.Extensions.Logging gives <c>Logging:LogLevel</c> — the longest category prefix
/// that matches a logger's category decides, and <c>*</c> is a wildcard.
/// </summary>
internal sealed record LoggingSettings
{
    public LogLevel Default { get; init; } = LogLevel.Information;

    /// <summary>Category (or category prefix) → level, e.g. <c>VpnMasq.Drops</c> → Warning.</summary>
    public IReadOnlyDictionary<string, LogLevel> Categories { get; init; } = new Dictionary<string, LogLevel>();

    /// <summary>Warnings and errors only: tests, benchmarks and replay, whose output is not a log.</summary>
    public static LoggingSettings WarningsOnly { get; } = new() { Default = LogLevel.Warning };

    /// <summary>
    /// The level Akka itself is told to log at. Akka drops an event below its level before any category is
    /// known, so it must be the lowest level configured anywhere: otherwise a category raised to Debug would
    /// never see Akka's debug lines. The category filters then keep only what each category asked for.
    /// </summary>
    public AkkaLogLevel AkkaLevel
    {
        get
        {
            var lowest = Categories.Values.Append(Default).Min();
            return lowest switch
            {
                <= LogLevel.Debug => AkkaLogLevel.DebugLevel,
                LogLevel.Information => AkkaLogLevel.InfoLevel,
                LogLevel.Warning => AkkaLogLevel.WarningLevel,
                _ => AkkaLogLevel.ErrorLevel, // Akka has no level above Error; the filters silence the rest
            };
        }
    }
}
