using Microsoft.Extensions.Logging;
using VpnMasq.Node.Logs;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace VpnMasq.Node.Tests.Logs;

public sealed class LoggingSettingsTests
{
    [Fact]
    public void AkkaLevel_ByDefault_IsInfo()
    {
        Assert.Equal(AkkaLogLevel.InfoLevel, new LoggingSettings().AkkaLevel);
    }

    [Fact]
    public void AkkaLevel_FollowsTheLowestCategory_SoADebugCategoryGetsAkkasDebugLines()
    {
        var settings = new LoggingSettings
        {
            Default = LogLevel.Warning,
            Categories = new Dictionary<string, LogLevel> { ["Akka.Cluster"] = LogLevel.Debug },
        };

        Assert.Equal(AkkaLogLevel.DebugLevel, settings.AkkaLevel);
    }

    [Fact]
    public void AkkaLevel_WhenEverythingIsSilenced_IsError()
    {
        Assert.Equal(AkkaLogLevel.ErrorLevel, new LoggingSettings { Default = LogLevel.None }.AkkaLevel);
    }
}
