using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using VpnMasq.Node.Logs;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace VpnMasq.Node.Tests.Logs;

/// <summary>Akka's lines through the node's logging wiring (<see cref="NodeLogging"/>), into a collector instead of the console.</summary>
public sealed class AkkaCategoryLoggerTests
{
    private static readonly string ChattyCategory = typeof(Chatty).FullName!.Replace('+', '.');

    [Fact]
    public async Task ActorDebugLine_WhenOnlyItsCategoryIsAtDebug_IsWrittenUnderItsClassName()
    {
        var settings = new LoggingSettings
        {
            Default = LogLevel.Warning,
            Categories = new Dictionary<string, LogLevel> { [ChattyCategory] = LogLevel.Debug },
        };

        var records = await LinesOfAkkaAsync(settings, r => r.Message.Contains("chatty at debug", StringComparison.Ordinal));

        var line = Assert.Single(records, r => r.Message.Contains("chatty at debug", StringComparison.Ordinal));
        Assert.Equal(ChattyCategory, line.Category);
        Assert.Equal(LogLevel.Debug, line.Level);
    }

    [Fact]
    public async Task AkkasOwnInfoLines_WhenTheDefaultIsWarning_AreNotWritten()
    {
        var settings = new LoggingSettings
        {
            Default = LogLevel.Warning,
            Categories = new Dictionary<string, LogLevel> { [ChattyCategory] = LogLevel.Debug },
        };

        var records = await LinesOfAkkaAsync(settings, r => r.Message.Contains("chatty at debug", StringComparison.Ordinal));

        Assert.DoesNotContain(records, r => r.Level < LogLevel.Warning && r.Category != ChattyCategory);
    }

    [Fact]
    public async Task StringSourceLine_IsUnderAkka_NamingItsSource()
    {
        var records = await LinesOfAkkaAsync(new LoggingSettings(), r => r.Message.Contains("from a named source", StringComparison.Ordinal),
            system => Logging.GetLogger(system, "Cluster").Warning("from a named source"));

        var line = Assert.Single(records, r => r.Message.Contains("from a named source", StringComparison.Ordinal));
        Assert.Equal("Akka", line.Category);
        Assert.StartsWith("[Cluster (akka://", line.Message); // Akka adds the system to a named source
        Assert.EndsWith("] from a named source", line.Message);
    }

    /// <summary>Starts an actor system the way a node does, waits until <paramref name="awaited"/> is written, and stops it.</summary>
    private static async Task<IReadOnlyList<FakeLogRecord>> LinesOfAkkaAsync(
        LoggingSettings settings, Func<FakeLogRecord, bool> awaited, Action<ActorSystem>? act = null)
    {
        var collector = new FakeLogCollector();
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddNodeLevels(settings);
        builder.Logging.AddProvider(new FakeLoggerProvider(collector));
        builder.Services.AddAkka("logging-" + Guid.NewGuid().ToString("N")[..8], (akka, _) =>
            akka.WithNodeLogging(settings).WithActors((system, _) =>
            {
                system.ActorOf(Props.Create(() => new Chatty()), "chatty");
                act?.Invoke(system);
            }));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!collector.GetSnapshot().Any(awaited) && DateTime.UtcNow < deadline)
                await Task.Delay(20);
            return collector.GetSnapshot();
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private sealed class Chatty : ReceiveActor
    {
        public Chatty() => Context.GetLogger().Debug("chatty at debug");
    }
}
