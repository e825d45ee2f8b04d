using Akka.Actor;
using Microsoft.Extensions.Configuration;
using VpnMasq.Actors.Peers;
using VpnMasq.Node.Cluster;
using VpnMasq.Node.Configuration;
using VpnMasq.Node.Logs;
using VpnMasq.Node.Tests.Configuration;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Tests.Shared;
using static VpnMasq.Protocols.Tests.Masquerade.TestFrames;

namespace VpnMasq.Node.Tests.Cluster;

/// <summary>
/// The journal a node really runs on (issue 4): a SQLite file in the data directory by default, a PostgreSQL
/// server when configured. Stop the node, start it again on the same journal: every peer comes back by itself
/// (remembered entities, no traffic needed), with exactly the table it had, and routes its SA as before.
/// </summary>
public sealed class JournalRestartTests
{
    private static readonly uint[] Remotes = Enumerable.Range(1, 4).Select(i => Ipv4Address.Parse($"198.51.100.{i}")).ToArray();

    [Theory]
    [InlineData(JournalProvider.Sqlite)]
    [InlineData(JournalProvider.PostgreSql)]
    public async Task PeerTables_SurviveANodeRestart_OnTheRealJournal(JournalProvider journal)
    {
        using var directory = new TempDirectory();
        await using var database = journal == JournalProvider.PostgreSql ? await PostgresDatabase.CreateAsync("vpnmasq_restart") : null;
        var settings = new NodeSettings
        {
            SystemName = "vpnmasq-restart",
            Logging = LoggingSettings.WarningsOnly,
            Hostname = "127.0.0.1",
            Port = 0,
            Journal = journal,
            ConnectionString = database?.ConnectionString,
            DataDirectory = directory.Path,
            ShardCount = 8,
            SnapshotEvery = 2, // recovery then reads a snapshot and the events after it
        };
        var options = MasqueradeOptionsBinder.Bind(new ConfigurationBuilder().Build(), Public);
        var at = TimeSpan.FromSeconds(1);
        var before = new Dictionary<uint, PeerTable>();

        await using (var node = await GatewayNode.StartAsync(settings, options))
        {
            await node.WhenUpAsync(TimeSpan.FromSeconds(30));
            for (int i = 0; i < Remotes.Length; i++)
            {
                uint remote = Remotes[i];
                await DecideAsync(node, EspFrame(InsideA, remote, 0x1000u + (uint)i), Direction.Outbound, at);
                await DecideAsync(node, EspFrame(remote, Public, 0x2000u + (uint)i), Direction.Inbound, at);
                await DecideAsync(node, UdpFrame(InsideB, 5000, remote, 53, [1, 2, 3]), Direction.Outbound, at);
                before[remote] = await node.Peers.Ask<PeerTable>(new GetPeerTable(remote), TimeSpan.FromSeconds(20));
                Assert.Equal(2, before[remote].Table.EntryCount);
            }
        }

        if (journal == JournalProvider.Sqlite)
            Assert.True(new FileInfo(settings.SqliteFile).Length > 0, $"no journal at {settings.SqliteFile}");

        await using (var node = await GatewayNode.StartAsync(settings, options))
        {
            await node.WhenUpAsync(TimeSpan.FromSeconds(30));
            // Not ready (vpnmasqd run does not capture) until the peers the journal remembers are back.
            var readyBy = DateTime.UtcNow.AddSeconds(60);
            while (!await node.Readiness.CheckAsync(TimeSpan.FromSeconds(10)) && DateTime.UtcNow < readyBy)
                await Task.Delay(50);
            Assert.True(node.Readiness.IsReady);
            Assert.Equal(Remotes.Order(), (await LocalPeers.AskAsync(node.Peers, TimeSpan.FromSeconds(10))).Order());

            var deadline = DateTime.UtcNow.AddSeconds(60);
            List<uint> running;
            while ((running = await LocalPeers.AskAsync(node.Peers, TimeSpan.FromSeconds(10))).Count < Remotes.Length && DateTime.UtcNow < deadline)
                await Task.Delay(200);
            Assert.Equal(Remotes.Order(), running.Order()); // restarted by the journal, before any frame for them

            foreach (uint remote in Remotes)
            {
                var after = await node.Peers.Ask<PeerTable>(new GetPeerTable(remote), TimeSpan.FromSeconds(20));
                Assert.Equal(before[remote].Table, after.Table);
            }

            for (int i = 0; i < Remotes.Length; i++)
            {
                var reply = await DecideAsync(node, EspFrame(Remotes[i], Public, 0x2000u + (uint)i, sequence: 2), Direction.Inbound, at + TimeSpan.FromSeconds(1));
                Assert.Equal((VerdictAction.Forward, InsideA), (reply.Action, reply.Inside));
            }
        }
    }

    private static async Task<Verdict> DecideAsync(GatewayNode node, byte[] frame, Direction direction, TimeSpan at) =>
        (await node.Ingress.DecideAsync(frame, direction, at)).Verdict;
}
