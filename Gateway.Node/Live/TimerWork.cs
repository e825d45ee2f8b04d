using Akka.Event;

namespace VpnMasq.Node.Live;

internal static class TimerWork
{
    /// <summary>A timer's work: an exception there would end the process; it is logged, and the next tick tries again.</summary>
    public static void Guarded(ILoggingAdapter log, string what, Action work)
    {
        try
        {
            work();
        }
        catch (Exception e)
        {
            log.Error(e, "vpnmasqd: {0} failed: {1}", what, e.Message);
        }
    }
}
