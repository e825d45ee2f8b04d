using Microsoft.Extensions.Hosting;

namespace VpnMasq.Node.Cluster;

/// <summary>
/// The node's host does not listen for SIGTERM/SIGINT itself: <c>vpnmasqd run</c> does (first signal
/// leaves gracefully, a second exits at once), and replay and tests stop the node explicitly. The
/// default console lifetime would stop the host from inside the signal handler, holding the signal
/// thread for the whole graceful shutdown, so a second signal could not cut it short.
/// </summary>
internal sealed class CallerOwnsSignalsLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
