using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using VpnMasq.Actors.Peers;
using VpnMasq.Node.Cluster;
using VpnMasq.Node.Logs;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Udp;

namespace VpnMasq.Benchmarks;

/// <summary>
/// A scripted side-by-side run (not BenchmarkDotNet: it measures a database, not a method):
/// <c>journal [--peers N] [--flows K] [--postgres CONNECTION]</c>. For each journal it starts a
/// single node, opens K new UDP flows to each of N peers through the ingress pipeline (each one a
/// journaled PortMapped event), then starts a fresh node on the same journal and times until every
/// peer has recovered and shows its whole table.
/// </summary>
internal static class JournalLoad
{
    private static readonly uint Public = Ipv4Address.Parse("200.200.200.200");

    public static async Task<int> RunAsync(string[] args)
    {
        int peers = ScriptArguments.Option(args, "--peers", 1000);
        int flows = ScriptArguments.Option(args, "--flows", 20);
        string? postgres = args.SkipWhile(a => a != "--postgres").Skip(1).FirstOrDefault()
                           ?? Environment.GetEnvironmentVariable("VPNMASQ_TEST_POSTGRES");
        var sqliteDir = Directory.CreateTempSubdirectory("vpnmasq-journal-");
        Console.WriteLine($"journal load: {peers} peers x {flows} new UDP flows (1 event each), snapshot every 200 events");
        await MeasureAsync("sqlite", new NodeSettings { Journal = JournalProvider.Sqlite, DataDirectory = sqliteDir.FullName }, peers, flows);
        if (postgres is not null)
        {
            string database = "vpnmasq_bench_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            await Sql(postgres, $"CREATE DATABASE {database}");
            try
            {
                var connection = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
                await MeasureAsync("postgresql", new NodeSettings { Journal = JournalProvider.PostgreSql, ConnectionString = connection }, peers, flows);
            }
            finally
            {
                await Sql(postgres, $"DROP DATABASE {database} WITH (FORCE)");
            }
        }
        else
        {
            Console.WriteLine("postgresql: skipped (no --postgres and no VPNMASQ_TEST_POSTGRES)");
        }

        sqliteDir.Delete(recursive: true);
        return 0;
    }

    private static async Task MeasureAsync(string name, NodeSettings journal, int peers, int flows)
    {
        var settings = journal with { Port = 0, Logging = LoggingSettings.WarningsOnly, SweepInterval = TimeSpan.Zero, UseFlowCache = false };
        var options = new MasqueradeOptions { PublicAddress = Public };
        var remotes = Enumerable.Range(0, peers).Select(i => Ipv4Address.Parse("198.18.0.1") + (uint)i).ToList();
        var at = DateTime.UtcNow - DateTime.UnixEpoch;

        await using (var node = await GatewayNode.StartAsync(settings, options))
        {
            await node.WhenUpAsync(TimeSpan.FromSeconds(30));
            await Flows(node, remotes, 1, at); // start every peer (recovery of an empty journal) before timing
            var clock = Stopwatch.StartNew();
            int forwarded = await Flows(node, remotes, flows, at, firstPort: 2000);
            clock.Stop();
            Console.WriteLine($"{name}: {forwarded} events persisted in {clock.Elapsed.TotalSeconds:F2} s = " +
                              $"{forwarded / clock.Elapsed.TotalSeconds:F0} events/s (each before its frame's verdict)");
        }

        var restart = Stopwatch.StartNew();
        await using (var node = await GatewayNode.StartAsync(settings, options))
        {
            await node.WhenUpAsync(TimeSpan.FromSeconds(30));
            var up = restart.Elapsed;
            var tables = await Task.WhenAll(remotes.Select(r => node.Peers.Ask<PeerTable>(new GetPeerTable(r), TimeSpan.FromMinutes(2))));
            restart.Stop();
            int wrong = tables.Count(t => t.Table.EntryCount != flows + 1);
            var recovery = restart.Elapsed - up;
            Console.WriteLine($"{name}: node up again in {up.TotalSeconds:F2} s, then recovery of {peers} peers " +
                              $"({tables.Sum(t => t.Table.EntryCount)} entries) in {recovery.TotalSeconds:F2} s = " +
                              $"{recovery.TotalSeconds * 1000 / peers:F2} s per 1,000 peers" +
                              (wrong == 0 ? "" : $"; {wrong} peers lack entries for frames that timed out (owner-unavailable) under this load"));
        }
    }

    /// <summary>Opens <paramref name="count"/> new UDP flows to every peer, peers in parallel; returns the number forwarded.</summary>
    private static async Task<int> Flows(GatewayNode node, IReadOnlyList<uint> remotes, int count, TimeSpan at, int firstPort = 1000)
    {
        int forwarded = 0;
        await Task.WhenAll(remotes.Select(async remote =>
        {
            for (int k = 0; k < count; k++)
            {
                var decision = await node.Ingress.DecideAsync(UdpFrame(remote, (ushort)(firstPort + k)), Direction.Outbound, at);
                if (decision.Verdict.Action == VerdictAction.Forward)
                    Interlocked.Increment(ref forwarded);
            }
        }));
        return forwarded;
    }

    internal static byte[] UdpFrame(uint remote, ushort sourcePort)
    {
        var eth = new EthernetFields(0x02_00_00_00_00_01, 0x02_00_00_00_00_02, EtherType.Ipv4);
        const int payload = 64;
        var ip = new Ipv4Fields(Ipv4Address.Parse("10.0.0.2"), remote, IpProtocol.Udp, (ushort)(20 + UdpHeader.Length + payload));
        var frame = new byte[eth.Length + ip.TotalLength];
        int offset = eth.WriteTo(frame);
        ip.WriteTo(frame.AsSpan(offset));
        new UdpFields(sourcePort, 9000, (ushort)(UdpHeader.Length + payload)).WriteTo(frame.AsSpan(offset + 20));
        TransportChecksum.Fill(frame.AsSpan(offset));
        return frame;
    }


    private static async Task Sql(string connection, string command)
    {
        await using var db = new Npgsql.NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(command, db);
        await cmd.ExecuteNonQueryAsync();
    }
}
