using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using VpnMasq.Actors.Ingress;
using VpnMasq.Actors.Peers;
using VpnMasq.Node.Cluster;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Flows;

namespace VpnMasq.Node.Tests.Cluster;

/// <summary>The HOCON a node's Akka.Hosting composition (<see cref="VpnMasqHosting.WithVpnMasq"/>) adds up to, without starting anything.</summary>
internal static class ComposedConfig
{
    public static Config Of(NodeSettings settings)
    {
        var akka = new AkkaConfigurationBuilder(new ServiceCollection(), settings.SystemName);
        akka.WithVpnMasq(settings, new VpnMasqParts(new LiveSettings(new MasqueradeOptions()), new PeerActorSettings(), new FlowIndex(), new ActivityRecorder()));
        return akka.Configuration.Value;
    }
}
