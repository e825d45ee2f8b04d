using VpnMasq.Node.Cluster;

namespace VpnMasq.Node.Tests.Cluster;

/// <summary>What a node's Akka.NET is composed of (<see cref="VpnMasqHosting.WithVpnMasq"/>), read back from the HOCON it adds up to.</summary>
public sealed class VpnMasqHostingTests
{
    private static readonly NodeSettings Postgres = new()
    {
        Journal = JournalProvider.PostgreSql,
        ConnectionString = "Host=db;Username=vpnmasq;Password=\"se\\cret\"",
    };

    [Fact]
    public void Remoting_IsTheNodesAddressWithFramesUpTo4MiB()
    {
        var config = ComposedConfig.Of(new NodeSettings { Hostname = "10.1.0.7", Port = 4060 });

        Assert.Equal("10.1.0.7", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(4060, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(4L * 1024 * 1024, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
    }

    [Theory]
    [InlineData(DowningStrategy.KeepMajority, "keep-majority")]
    [InlineData(DowningStrategy.KeepOldest, "keep-oldest")]
    public void SplitBrainResolver_IsTheConfiguredStrategy_StableAfterTheConfiguredTime(DowningStrategy downing, string strategy)
    {
        var config = ComposedConfig.Of(new NodeSettings { Downing = downing, StableAfter = TimeSpan.FromSeconds(7) });

        Assert.Contains("SplitBrainResolverProvider", config.GetString("akka.cluster.downing-provider-class"), StringComparison.Ordinal);
        Assert.Equal(strategy, config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(TimeSpan.FromSeconds(7), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
    }

    [Fact]
    public void KeepOldest_DownsTheOldestWhenItIsAlone() =>
        Assert.True(ComposedConfig.Of(new NodeSettings { Downing = DowningStrategy.KeepOldest })
            .GetBoolean("akka.cluster.split-brain-resolver.keep-oldest.down-if-alone"));

    [Fact]
    public void LeaseMajority_KeepsItsLeaseInThePostgresJournalDatabase()
    {
        var config = ComposedConfig.Of(Postgres with { Downing = DowningStrategy.LeaseMajority });

        Assert.Equal("lease-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(VpnMasqHosting.SplitBrainLease, config.GetString("akka.cluster.split-brain-resolver.lease-majority.lease-implementation"));
        Assert.Equal(TimeSpan.FromSeconds(2), config.GetTimeSpan("akka.cluster.split-brain-resolver.lease-majority.acquire-lease-delay-for-minority"));
        Assert.Equal(typeof(PostgresLease).AssemblyQualifiedName, config.GetString("vpnmasq.split-brain-lease.lease-class"));
        Assert.Equal(Postgres.ConnectionString, config.GetString("vpnmasq.split-brain-lease.connection-string"));
    }

    [Fact]
    public void LeaseMajority_WithoutPostgres_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => ComposedConfig.Of(new NodeSettings { Downing = DowningStrategy.LeaseMajority }));

    [Fact]
    public void FailureDetector_ToleratesTheConfiguredHeartbeatPause() =>
        Assert.Equal(TimeSpan.FromSeconds(9), ComposedConfig.Of(new NodeSettings { HeartbeatPause = TimeSpan.FromSeconds(9) })
            .GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));

    [Fact]
    public void Sqlite_IsTheSqlJournalWithOneWriterInLargeBatches()
    {
        var settings = new NodeSettings { DataDirectory = "/var/lib/vpnmasq-test" };
        var config = ComposedConfig.Of(settings);

        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.Equal(settings.EffectiveConnectionString, config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal(LinqToDB.ProviderName.SQLiteMS, config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.True(config.GetBoolean("akka.persistence.journal.sql.auto-initialize"));
        Assert.Equal(1, config.GetInt("akka.persistence.journal.sql.parallelism"));
        Assert.Equal(1000, config.GetInt("akka.persistence.journal.sql.batch-size"));
        Assert.Equal(settings.EffectiveConnectionString, config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
    }

    [Fact]
    public void Postgres_IsTheSqlJournalWithFourWriters()
    {
        var config = ComposedConfig.Of(Postgres);

        Assert.Equal(LinqToDB.ProviderName.PostgreSQL15, config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal(LinqToDB.ProviderName.PostgreSQL15, config.GetString("akka.persistence.snapshot-store.sql.provider-name"));
        Assert.Equal(Postgres.ConnectionString, config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal(4, config.GetInt("akka.persistence.journal.sql.parallelism"));
    }

    [Fact]
    public void CoordinatedShutdown_LeavesProcessSignalsToTheCaller() =>
        Assert.False(ComposedConfig.Of(new NodeSettings()).GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));

    [Fact]
    public void Sharding_GivesRecoveryTimeAndRebalancesOften()
    {
        var config = ComposedConfig.Of(new NodeSettings());

        Assert.Equal(TimeSpan.FromSeconds(30), config.GetTimeSpan("akka.cluster.sharding.waiting-for-state-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(30), config.GetTimeSpan("akka.cluster.sharding.updating-state-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(2), config.GetTimeSpan("akka.cluster.sharding.rebalance-interval"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), config.GetTimeSpan("akka.cluster.distributed-data.notify-subscribers-interval"));
    }
}
