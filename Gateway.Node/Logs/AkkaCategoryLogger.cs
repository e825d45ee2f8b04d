using Akka.Actor;
using Akka.Event;
using Akka.Hosting.Logging;
using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace VpnMasq.Node.Logs;

/// <summary>
/// Akka.Hosting's bridge from Akka's event stream to the host's <see cref="ILoggerFactory"/>, with one change:
/// each line keeps the category of the class that logged it (<c>Akka.Cluster.ClusterCoreDaemon</c>,
/// <c>VpnMasq.Actors.Peers.PeerActor</c>) instead of one category for all of Akka, so
/// <c>Logging:LogLevel:Akka.Cluster=Debug</c> means what it says. Sources named by a string rather than a
/// class (Akka's own <c>Cluster</c>, <c>remoting</c>) have the category <c>Akka</c>, the source in the line.
/// </summary>
internal sealed class AkkaCategoryLogger : LoggerFactoryLogger
{
    private const string StringSourceCategory = "Akka";
    private readonly ILoggerFactory _factory;
    private readonly Dictionary<Type, ILogger> _byClass = [];
    private readonly ILogger _stringSources;

    public AkkaCategoryLogger()
    {
        // The base constructor has already failed if the setup is missing.
        _factory = Context.System.Settings.Setup.Get<LoggerFactorySetup>().Value.LoggerFactory;
        _stringSources = _factory.CreateLogger(StringSourceCategory);
    }

    protected override void Log(LogEvent log, ActorPath path)
    {
        var logger = LoggerFor(log.LogClass);
        var level = log.LogLevel() switch
        {
            AkkaLogLevel.DebugLevel => LogLevel.Debug,
            AkkaLogLevel.InfoLevel => LogLevel.Information,
            AkkaLogLevel.WarningLevel => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        if (!logger.IsEnabled(level))
            return;
        string message = Format(log);
        logger.Log(level, default, message, log.Cause, static (m, _) => m);
    }

    private ILogger LoggerFor(Type? logClass)
    {
        if (logClass is null || logClass == typeof(DummyClassForStringSources))
            return _stringSources;
        if (!_byClass.TryGetValue(logClass, out var logger))
            _byClass[logClass] = logger = _factory.CreateLogger(CategoryOf(logClass));
        return logger;
    }

    private static string CategoryOf(Type type)
    {
        string name = type.FullName ?? type.Name;
        int generic = name.IndexOf('`', StringComparison.Ordinal);
        return (generic < 0 ? name : name[..generic]).Replace('+', '.');
    }

    private static string Format(LogEvent log)
    {
        string text;
        try
        {
            text = log.Message?.ToString() ?? "";
        }
        catch (FormatException)
        {
            // A template whose arguments do not fit: the line still says what was meant to be logged.
            text = $"(malformed log message) {(log.Message as LogMessage)?.Format}";
        }

        return string.IsNullOrEmpty(log.LogSource) ? text : $"[{log.LogSource}] {text}";
    }
}
