using Microsoft.Extensions.Logging;
using VpnMasq.Node.Configuration;
using VpnMasq.Node.Logs;

namespace VpnMasq.Node.Tests.Configuration;

public sealed class LoggingSettingsBinderTests
{
    [Fact]
    public void NoLoggingSection_DefaultIsInformation_WithNoCategories()
    {
        var settings = LoggingSettingsBinder.Bind(ConfigurationSources.FromArgs("run"));

        Assert.Equal(LogLevel.Information, settings.Default);
        Assert.Empty(settings.Categories);
    }

    [Theory]
    [InlineData(Source.Json)]
    [InlineData(Source.Environment)]
    [InlineData(Source.CommandLine)]
    public void LogLevelDefault_SetsTheDefaultLevel(Source source)
    {
        var settings = LoggingSettingsBinder.Bind(ConfigurationSources.Build(source, ("Logging:LogLevel:Default", "Warning")));

        Assert.Equal(LogLevel.Warning, settings.Default);
    }

    [Theory]
    [InlineData(Source.Json)]
    [InlineData(Source.Environment)]
    [InlineData(Source.CommandLine)]
    public void LogLevelCategory_SetsThatCategorysLevel_AndLeavesTheDefault(Source source)
    {
        var settings = LoggingSettingsBinder.Bind(ConfigurationSources.Build(source,
            ("Logging:LogLevel:VpnMasq.Drops", "Warning"), ("Logging:LogLevel:Akka.Cluster", "Debug")));

        Assert.Equal(LogLevel.Information, settings.Default);
        Assert.Equal(LogLevel.Warning, settings.Categories["VpnMasq.Drops"]);
        Assert.Equal(LogLevel.Debug, settings.Categories["Akka.Cluster"]);
    }

    [Fact]
    public void LevelNames_AreMicrosoftExtensionsLoggings_InAnyCase()
    {
        var settings = LoggingSettingsBinder.Bind(ConfigurationSources.FromArgs("run", "--Logging:LogLevel:Default=trace", "--Logging:LogLevel:Akka=NONE"));

        Assert.Equal(LogLevel.Trace, settings.Default);
        Assert.Equal(LogLevel.None, settings.Categories["Akka"]);
    }

    [Fact]
    public void LevelShorthand_SetsTheDefaultLevel()
    {
        var settings = LoggingSettingsBinder.Bind(ConfigurationSources.FromArgs("run", "--Logging:Level=Debug"));

        Assert.Equal(LogLevel.Debug, settings.Default);
    }

    [Fact]
    public void BothDefaultKeysInOneSource_LogLevelDefaultWins()
    {
        var settings = LoggingSettingsBinder.Bind(ConfigurationSources.FromArgs("run", "--Logging:Level=Debug", "--Logging:LogLevel:Default=Error"));

        Assert.Equal(LogLevel.Error, settings.Default);
    }

    [Fact]
    public void ShorthandOnTheCommandLine_WinsOverLogLevelDefaultInTheFile()
    {
        using var directory = new TempDirectory();
        directory.Write(VpnMasqConfiguration.AppSettingsFileName, """{ "Logging": { "LogLevel": { "Default": "Warning" } } }""");

        var settings = LoggingSettingsBinder.Bind(
            VpnMasqConfiguration.Build(["run", "--Logging:Level=Debug"], directory.Path, ConfigurationSources.NoEnvironment));

        Assert.Equal(LogLevel.Debug, settings.Default);
    }

    [Fact]
    public void LogLevelDefaultOnTheCommandLine_WinsOverTheShorthandInTheFile()
    {
        using var directory = new TempDirectory();
        directory.Write(VpnMasqConfiguration.AppSettingsFileName, """{ "Logging": { "Level": "Warning" } }""");

        var settings = LoggingSettingsBinder.Bind(
            VpnMasqConfiguration.Build(["run", "--Logging:LogLevel:Default=Debug"], directory.Path, ConfigurationSources.NoEnvironment));

        Assert.Equal(LogLevel.Debug, settings.Default);
    }

    [Theory]
    [InlineData("Logging:LogLevel:Default", "Verbose")]
    [InlineData("Logging:LogLevel:VpnMasq.Drops", "Info")]
    [InlineData("Logging:Level", "2")]
    public void BadLevelName_IsAOneLineErrorNamingTheKey(string key, string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => LoggingSettingsBinder.Bind(ConfigurationSources.FromArgs("run", $"--{key}={value}")));

        Assert.Equal(key, error.Key);
        Assert.Equal($"{key}: '{value}' is not a log level (Trace, Debug, Information, Warning, Error, Critical, None)", error.Message);
    }

    [Fact]
    public void UnknownKeyUnderLogging_IsAnErrorSuggestingTheKnownOne()
    {
        var error = Assert.Throws<ConfigurationException>(() => LoggingSettingsBinder.Bind(ConfigurationSources.FromArgs("run", "--Logging:LogLevels:Default=Debug")));

        Assert.Equal("Logging:LogLevels", error.Key);
        Assert.Contains("did you mean Logging:LogLevel?", error.Message);
    }

    [Fact]
    public void LevelGivenToLogLevelItself_IsAnErrorPointingAtTheDefaultKeys()
    {
        var error = Assert.Throws<ConfigurationException>(() => LoggingSettingsBinder.Bind(ConfigurationSources.FromArgs("run", "--Logging:LogLevel=Debug")));

        Assert.Equal("Logging:LogLevel", error.Key);
        Assert.Contains("did you mean Logging:LogLevel:Default or Logging:Level?", error.Message);
    }

    [Fact]
    public void NodeSettingsBinder_CarriesTheLoggingSection()
    {
        var settings = NodeSettingsBinder.Bind(ConfigurationSources.FromArgs("run", "--Logging:LogLevel:VpnMasq.Drops=Warning"));

        Assert.Equal(LogLevel.Warning, settings.Logging.Categories["VpnMasq.Drops"]);
    }
}
