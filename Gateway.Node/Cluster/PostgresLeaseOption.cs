using Akka.Actor.Setup;
using Akka.Hosting;
using Akka.Hosting.Coordination;

namespace VpnMasq.Node.Cluster;

/// <summary>
/// <see cref="PostgresLease"/> as an Akka.Hosting lease option, for <c>LeaseMajorityOption.LeaseImplementation</c>:
/// its configuration block, named by <see cref="ConfigPath"/>, holds the database to keep the lease in and its timings.
/// </summary>
internal sealed class PostgresLeaseOption(string connectionString) : LeaseOptionBase
{
    public override string ConfigPath => VpnMasqHosting.SplitBrainLease;

    public override Type Class => typeof(PostgresLease);

    public override void Apply(AkkaConfigurationBuilder builder, Setup? setup = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddHocon($$"""
            {{ConfigPath}} {
              lease-class = "{{Class.AssemblyQualifiedName}}"
              connection-string = {{Quote(connectionString)}}
              heartbeat-timeout = 30s
              heartbeat-interval = 3s
              lease-operation-timeout = 5s
            }
            """, HoconAddMode.Prepend);
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
