using System.Net;
using System.Net.Sockets;
using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Microsoft.Extensions.Configuration;
using Newtonsoft.Json;
using VpnMasq.Node.Cluster;
using VpnMasq.Node.Configuration;
using VpnMasq.Node.Logs;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Node.Tests.Cluster;

/// <summary>
/// The contact point Akka.Management's bootstrap probes: what a running node answers must be what
/// Akka.Management's own prober reads (its JSON types, Newtonsoft), naming this node and its Up members.
/// </summary>
public sealed class BootstrapContactPointTests
{
    private static readonly NodeSettings Single = new()
    {
        SystemName = "vpnmasq-contact",
        Logging = LoggingSettings.WarningsOnly,
        Hostname = "127.0.0.1",
        Port = 0,
        Journal = JournalProvider.InMemory,
        ShardCount = 4,
    };

    [Fact]
    public async Task SeedNodes_OfARunningNode_NameItAndItsUpMembersInAkkaManagementsFormat()
    {
        var options = MasqueradeOptionsBinder.Bind(new ConfigurationBuilder().Build(), Ipv4Address.Parse("200.200.200.200"));
        await using var node = await GatewayNode.StartAsync(Single, options);
        await node.WhenUpAsync(TimeSpan.FromSeconds(20));
        int port = FreePort();
        using var contactPoint = new BootstrapContactPoint(node.System, "127.0.0.1", port);
        contactPoint.Start();
        using var http = new HttpClient();

        string body = await http.GetStringAsync($"http://127.0.0.1:{port}/bootstrap/seed-nodes");
        var answer = JsonConvert.DeserializeObject<HttpBootstrapJsonProtocol.SeedNodes>(body);

        Assert.NotNull(answer);
        var self = Akka.Cluster.Cluster.Get(node.System).SelfAddress;
        Assert.Equal(self, answer.SelfNode);
        var member = Assert.Single(answer.Nodes);
        Assert.Equal(self, member.Node);
        Assert.Equal(MemberStatus.Up, member.Status);
        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), contactPoint.SelfBaseUri);
    }

    [Fact]
    public async Task OtherPaths_AreNotFound()
    {
        var options = MasqueradeOptionsBinder.Bind(new ConfigurationBuilder().Build(), Ipv4Address.Parse("200.200.200.200"));
        await using var node = await GatewayNode.StartAsync(Single, options);
        int port = FreePort();
        using var contactPoint = new BootstrapContactPoint(node.System, "127.0.0.1", port);
        contactPoint.Start();
        using var http = new HttpClient();

        var response = await http.GetAsync($"http://127.0.0.1:{port}/bootstrap/other");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
