using Microsoft.Extensions.Logging;

namespace VpnMasq.Node.Logs;

/// <summary>
/// Lines composed in full where they are said (<c>vpnmasqd run</c>'s start and stop), written as they are: a
/// message template would only be parsed back into the same text, and these are said a few times a run.
/// </summary>
internal static class StatusLines
{
    public static void Info(this ILogger log, string line) => log.Log(LogLevel.Information, default, line, null, static (l, _) => l);

    public static void Warning(this ILogger log, string line) => log.Log(LogLevel.Warning, default, line, null, static (l, _) => l);
}
