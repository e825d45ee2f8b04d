using Akka.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace VpnMasq.Node.Logs;

/// <summary>
/// One log for the node: its own lines and Akka's go through the host's <see cref="ILoggerFactory"/>, filtered by
/// <see cref="LoggingSettings"/>, to the console as one line each with a UTC timestamp.
/// </summary>
internal static class NodeLogging
{
    public static ILoggingBuilder AddNodeConsole(this ILoggingBuilder logging, LoggingSettings settings)
    {
        logging.ClearProviders();
        logging.AddNodeLevels(settings);
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        return logging;
    }

    /// <summary>The levels as filter rules: the same rules <c>Logging:LogLevel</c> would make in any .NET host.</summary>
    public static ILoggingBuilder AddNodeLevels(this ILoggingBuilder logging, LoggingSettings settings)
    {
        logging.SetMinimumLevel(settings.Default);
        foreach (var (category, level) in settings.Categories)
            logging.AddFilter(category, level);
        return logging;
    }

    /// <summary>Akka logs through <see cref="AkkaCategoryLogger"/> only, at the lowest level any category asks for.</summary>
    public static AkkaConfigurationBuilder WithNodeLogging(this AkkaConfigurationBuilder akka, LoggingSettings settings) =>
        akka.ConfigureLoggers(loggers =>
        {
            loggers.LogLevel = settings.AkkaLevel;
            loggers.ClearLoggers();
            loggers.AddLogger<AkkaCategoryLogger>();
        });
}
