using Microsoft.Extensions.Configuration;
using VpnMasq.Node.Cluster;
using VpnMasq.Node.Configuration;
using ConfigurationException = VpnMasq.Node.Configuration.ConfigurationException;

namespace VpnMasq.Node.Tests.Cluster;

/// <summary>The bare-metal bootstrap keys (Cluster:Discovery=config, BootstrapEndpoints, BootstrapPort): bound strictly, handed to Akka.Management as written.</summary>
public sealed class ClusterBootstrapSettingsTests
{
    private static NodeSettings Bind(params (string Key, string Value)[] pairs) =>
        NodeSettingsBinder.Bind(new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            .Build());

    [Fact]
    public void ConfigDiscovery_WithoutBootstrapEndpoints_IsAnErrorNamingTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind(("Cluster:Discovery", "config")));

        Assert.Contains("Cluster:BootstrapEndpoints", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gw1:http")]
    [InlineData("gw1:70000")]
    [InlineData(":8558")]
    public void BootstrapEndpoint_NotHostOrHostPort_IsAnErrorNamingTheKey(string endpoint)
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            Bind(("Cluster:Discovery", "config"), ("Cluster:BootstrapEndpoints:0", endpoint)));

        Assert.Contains("Cluster:BootstrapEndpoints", error.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BootstrapEndpoints_WithoutPort_AreProbedOnTheBootstrapPort()
    {
        var settings = Bind(
            ("Cluster:Discovery", "config"),
            ("Cluster:BootstrapPort", "9558"),
            ("Cluster:BootstrapEndpoints:0", "10.1.0.1"),
            ("Cluster:BootstrapEndpoints:1", "10.1.0.2:8600"));

        var hocon = ComposedConfig.Of(settings);

        Assert.Equal(["10.1.0.1:9558", "10.1.0.2:8600"], hocon.GetStringList("akka.discovery.config.services.vpnmasq.endpoints"));
        Assert.Equal("config", hocon.GetString("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
        Assert.Empty(hocon.GetStringList("akka.cluster.seed-nodes"));
    }

    [Fact]
    public void SeedDiscovery_DoesNotConfigureBootstrap()
    {
        var hocon = ComposedConfig.Of(Bind(("Cluster:Seeds:0", "10.1.0.1:4053")));

        Assert.False(hocon.HasPath("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    }
}
