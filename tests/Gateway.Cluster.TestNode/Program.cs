using System.Globalization;
using System.Text;
using Akka.Actor;
using VpnMasq.Actors.Peers;
using VpnMasq.Node.Cluster;
using VpnMasq.Node.Configuration;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Cluster.TestNode;

/// <summary>
/// Runs one gateway node with the configuration given as <c>--Section:Key=value</c> arguments and
/// answers one command per stdin line on stdout (Akka's own log goes to stderr):
/// <list type="bullet">
/// <item><c>decide ID in|out TICKS HEX</c> → <c>decided ID ACTION REASON INSIDE SOURCE OWNER HEX EXTRA</c> (async; replies may come out of order)</item>
/// <item><c>table ID PEER</c> → <c>table ID OWNER ENTRIES</c></item>
/// <item><c>ready ID</c> → <c>ready ID true|false</c>; <c>members ID</c> → <c>members ID UP-COUNT</c></item>
/// <item><c>flows ID</c> → <c>flows ID PEERS LOOKUPS</c>; <c>flush ID</c> → <c>flushed ID</c></item>
/// <item><c>entities ID</c> → <c>entities ID COUNT</c>: peers whose actors run on this node</item>
/// <item><c>leave ID</c> → graceful leave, <c>left ID</c>, exit 0</item>
/// </list>
/// </summary>
internal static class Program
{
    private static readonly TextWriter Out = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
    private static readonly Lock OutLock = new();

    private static async Task<int> Main(string[] args)
    {
        Console.SetOut(Console.Error);
        var configuration = VpnMasqConfiguration.Build(["run", .. args], baseDirectory: null);
        var options = MasqueradeOptionsBinder.Bind(configuration, Ipv4Address.Parse("200.200.200.200"));
        var settings = NodeSettingsBinder.Bind(configuration);
        var node = await GatewayNode.StartAsync(settings, options);
        await node.WhenUpAsync(TimeSpan.FromSeconds(60));
        Reply($"up {node.Address}");

        while (await Console.In.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
                continue;
            string id = parts[1];
            switch (parts[0])
            {
                case "decide":
                    _ = Decide(node, id, parts[2], long.Parse(parts[3], CultureInfo.InvariantCulture), Convert.FromHexString(parts[4]));
                    break;
                case "table":
                    _ = Table(node, id, Ipv4Address.Parse(parts[2]));
                    break;
                case "ready":
                    Reply($"ready {id} {(await node.Readiness.CheckAsync(TimeSpan.FromSeconds(5))).ToString().ToLowerInvariant()}");
                    break;
                case "members":
                    var state = Akka.Cluster.Cluster.Get(node.System).State;
                    Reply($"members {id} {state.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up)}");
                    break;
                case "entities":
                    Reply($"entities {id} {(await LocalPeers.AskAsync(node.Peers, TimeSpan.FromSeconds(10))).Count}");
                    break;
                case "flows":
                    Reply($"flows {id} {node.FlowCache.PeerCount} {node.FlowCache.LookupCount}");
                    break;
                case "flush":
                    await node.FlushActivityAsync(TimeSpan.FromSeconds(5));
                    Reply($"flushed {id}");
                    break;
                case "leave":
                    await node.DisposeAsync();
                    Reply($"left {id}");
                    return 0;
            }
        }

        await node.DisposeAsync();
        return 0;
    }

    private static async Task Decide(GatewayNode node, string id, string direction, long ticks, byte[] frame)
    {
        try
        {
            var dir = direction == "out" ? Direction.Outbound : Direction.Inbound;
            var decision = await node.Ingress.DecideAsync(frame, dir, TimeSpan.FromTicks(ticks));
            var v = decision.Verdict;
            string output = v.SendInput ? Convert.ToHexString(frame) : "-";
            string reason = v.Reason == DropReason.None ? "-" : v.Reason.Code();
            Reply($"decided {id} {v.Action.ToString().ToLowerInvariant()} {reason} {Ipv4Address.Format(v.Inside)} " +
                  $"{decision.Source} {decision.Owner ?? "-"} {output} {v.Extra?.Count ?? 0}");
        }
        catch (Exception e)
        {
            Reply($"error {id} {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static async Task Table(GatewayNode node, string id, uint peer)
    {
        try
        {
            var table = await node.Peers.Ask<PeerTable>(new GetPeerTable(peer), TimeSpan.FromSeconds(30));
            var t = table.Table;
            // Counts, then every entry by what identifies it (times left out: activity moves them).
            static string Keys(IEnumerable<string> entries) => string.Join(',', entries.Order(StringComparer.Ordinal));
            Reply($"table {id} {table.Owner} {t.EntryCount} ports={t.Ports.Count} icmp={t.Icmp.Count} isakmp={t.Isakmp.Count} esp={t.Esp.Count} calls={t.Calls.Count} " +
                  $"ports#{Keys(t.Ports.Select(p => $"{p.Protocol}/{Ipv4Address.Format(p.Inside)}:{p.InsidePort}/{p.PublicPort}/{p.RemotePort}"))} " +
                  $"isakmp#{Keys(t.Isakmp.Select(x => $"{Ipv4Address.Format(x.Inside)}/{x.InitiatorCookie:x16}/{x.ResponderCookie:x16}"))} " +
                  $"esp#{Keys(t.Esp.Select(e => $"{Ipv4Address.Format(e.Inside)}/{e.OutboundSpi:x8}/{e.InboundSpi:x8}/{e.Outstanding}"))} " +
                  $"calls#{Keys(t.Calls.Select(c => $"{Ipv4Address.Format(c.Inside)}:{c.InsidePort}/{c.CallId}/{c.MasqueradedCallId}/{c.PeerCallId}/{c.PeerCallIdKnown}"))}");
        }
        catch (Exception e)
        {
            Reply($"error {id} {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static void Reply(string line)
    {
        lock (OutLock)
            Out.WriteLine(line);
    }
}
