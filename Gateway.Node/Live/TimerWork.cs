using Microsoft.Extensions.Logging;

namespace VpnMasq.Node.Live;

internal static class TimerWork
{
    /// <summary>A timer's work: an exception there would end the process; it is logged, and the next tick tries again.</summary>
    public static void Guarded(ILogger log, string what, Action work)
    {
        try
        {
            work();
        }
        catch (Exception e)
        {
            log.LogError(e, "vpnmasqd: {What} failed: {Problem}", what, e.Message);
        }
    }
}
