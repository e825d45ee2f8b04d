using System.Runtime.InteropServices;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using VpnMasq.Actors.Peers;
using VpnMasq.Node.Cluster;
using VpnMasq.Node.Configuration;
using VpnMasq.Node.Logs;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Live;

/// <summary>
/// <c>vpnmasqd run</c>: a gateway node on real interfaces (DESIGN §4, §5.3). Exits 0 after a clean
/// shutdown (first SIGTERM/SIGINT: leave the cluster, flush activity); a second signal exits at once.
/// Anything that stops it from starting is a one-line reason and a non-zero exit.
/// </summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var configuration = VpnMasqConfiguration.Build(["run", .. args], baseDirectory: null);
        var run = RunSettings.Bind(configuration);
        var binding = MasqueradeOptionsBinder.BindWithWarnings(configuration);
        foreach (var warning in binding.Warnings)
            error.WriteLine($"vpnmasqd: warning: {warning}");
        var nodeSettings = NodeSettingsBinder.Bind(configuration);
        var inside = LinkInfo.Read(run.InsideInterface);
        var outside = LinkInfo.Read(run.OutsideInterface);
        var framings = (Inside: LinkFramings.Probe(inside.Name), Outside: LinkFramings.Probe(outside.Name));
        var options = binding.Options with { InsideInterface = run.InsideInterface };
        if (options.PublicAddressAuto)
        {
            if (outside.Address == 0)
                throw new InvalidOperationException($"Masquerade:PublicAddress is auto but {outside.Name} has no IPv4 address");
            options = options with { PublicAddress = outside.Address };
        }

        using var stop = new CancellationTokenSource();
        int signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref signals) > 1)
            {
                if (run.ManageKernel)
                    KernelGuard.Remove(); // one nft call: the kernel is left as it was found even now
                ExitNow(128 + 15); // not Environment.Exit: it would wait for the graceful shutdown in progress
            }
            _ = Task.Run(stop.Cancel); // not inline: the shutdown would run on the signal thread and hold the next signal back
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        // Signals are ours before the kernel table exists: a SIGTERM from here on still removes it.
        if (run.ManageKernel)
        {
            KernelGuard.Install(inside.Name, outside.Name, options.PublicAddress);
        }
        else if (KernelGuard.Check(inside.Name, outside.Name) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(
                $"the host kernel would forward or answer masqueraded traffic: {string.Join("; ", problems)}; or start with --manage-kernel");
        }

        try
        {
            return await ServeAsync(run, nodeSettings, options, inside, outside, framings, stop).ConfigureAwait(false);
        }
        finally
        {
            // Only now, with capture stopped and the cluster left: until then the kernel must not answer for the gateway.
            if (run.ManageKernel)
                KernelGuard.Remove();
        }
    }

    private static async Task<int> ServeAsync(RunSettings run, NodeSettings nodeSettings, MasqueradeOptions options, LinkInfo inside, LinkInfo outside,
        (LinkFraming Inside, LinkFraming Outside) framings, CancellationTokenSource stop)
    {
        GatewayNode node;
        try
        {
            node = await GatewayNode.StartAsync(nodeSettings, options, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0; // stopped before the node was up: nothing to leave, nothing captured
        }

        await using (node.ConfigureAwait(false))
        {
            var log = node.Loggers.CreateLogger(LogCategories.Node);
            string cluster = nodeSettings.Discovery == ClusterDiscovery.Seeds
                ? $"seeds [{string.Join(",", nodeSettings.Seeds)}]"
                : $"bootstrap by {nodeSettings.Discovery} discovery [{string.Join(",", nodeSettings.BootstrapEndpoints)}]";
            // Read before the first frame: the front fragments to what the link takes from the start.
            var mtus = new LinkMtus(node.Ingress.Front.Live, inside.Name, outside.Name, log);
            mtus.Follow();
            var settings = node.Ingress.Front.Settings;
            log.Info($"vpnmasqd: inside {inside.Name} ({Ipv4Address.Format(inside.Address)}, {framings.Inside.Name()}, MTU {settings.LinkMtu(Side.Inside)}), " +
                     $"outside {outside.Name} ({framings.Outside.Name()}, MTU {settings.LinkMtu(Side.Outside)}), " +
                     $"public address {Ipv4Address.Format(options.PublicAddress)}{(options.PublicAddressAuto ? " (auto)" : "")}, " +
                     $"journal {nodeSettings.Journal} {(nodeSettings.Journal == JournalProvider.Sqlite ? nodeSettings.SqliteFile : "")}, " +
                     $"cluster {cluster}, kernel {(run.ManageKernel ? "managed" : "checked")}");
            try
            {
                await node.WhenUpAsync(TimeSpan.FromSeconds(120)).WaitAsync(stop.Token).ConfigureAwait(false);

                // Capture starts when decisions can be made: frames captured earlier would only wait in the shard region.
                // Not forever: a node that cannot tell after two minutes captures anyway, and its frames wait for their owners.
                var readyBy = DateTime.UtcNow + TimeSpan.FromMinutes(2);
                while (!await node.Readiness.CheckAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false))
                {
                    if (DateTime.UtcNow > readyBy)
                    {
                        log.Warning("vpnmasqd: peers of this node's shards have not all recovered after 2 minutes; forwarding anyway");
                        break;
                    }

                    await Task.Delay(200, stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                log.Info("vpnmasqd: stopped before forwarding began: leaving the cluster");
                return 0;
            }

            using (var gateway = new LiveGateway(node, inside, outside, run.Capture))
            {
                gateway.Start();
                using var management = new ManagementServer(run.ManagementUrl, run.TokenFile, node, gateway);
                management.Start();
                log.Info($"vpnmasqd: forwarding; management API on {run.ManagementUrl}");

                using var watcher = options.PublicAddressAuto
                    ? new Timer(_ => TimerWork.Guarded(log, "following the public address", () => FollowPublicAddress(node, run, log)), null, 2000, 2000)
                    : null;
                using var mtuWatcher = new Timer(_ => TimerWork.Guarded(log, "following the link MTUs", mtus.Follow), null, 1000, 1000);
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    log.Info("vpnmasqd: stopping: capture off, then leaving the cluster");
                }
            }

            return 0;
        }
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int status);

    /// <summary>DESIGN §3.7: the public address follows the outside interface; mappings on the old one close at once.</summary>
    private static void FollowPublicAddress(GatewayNode node, RunSettings run, ILogger log)
    {
        uint now = LinkInfo.Read(run.OutsideInterface).Address;
        var front = node.Ingress.Front;
        if (now == 0 || now == front.Settings.PublicAddress)
            return;
        log.Warning($"vpnmasqd: public address changed from {Ipv4Address.Format(front.Settings.PublicAddress)} to {Ipv4Address.Format(now)}: closing mappings");
        var at = DateTime.UtcNow - DateTime.UnixEpoch;
        front.ChangePublicAddress(now);
        if (run.ManageKernel)
            KernelGuard.Install(run.InsideInterface, run.OutsideInterface, now);
        foreach (uint peer in LocalPeers.AskAsync(node.Peers, TimeSpan.FromSeconds(5)).GetAwaiter().GetResult())
            node.Peers.Tell(new ClosePeer(peer, at));
    }
}
