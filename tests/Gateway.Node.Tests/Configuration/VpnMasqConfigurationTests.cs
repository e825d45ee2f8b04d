using Microsoft.Extensions.Configuration;
using VpnMasq.Node.Configuration;

namespace VpnMasq.Node.Tests.Configuration;

public sealed class VpnMasqConfigurationTests
{
    private const string Key = "Masquerade:Esp:InitRetries";

    private static string Retries(int value) => $$"""{ "Masquerade": { "Esp": { "InitRetries": {{value}} } } }""";

    [Theory]
    [InlineData(true, true, true, true, "4")]
    [InlineData(true, true, true, false, "3")]
    [InlineData(true, true, false, false, "2")]
    [InlineData(true, false, false, false, "1")]
    [InlineData(true, false, true, false, "3")]
    [InlineData(false, false, false, true, "4")]
    public void Sources_HigherPriorityWins(bool appSettings, bool configFile, bool environment, bool commandLine, string expected)
    {
        using var directory = new TempDirectory();
        var args = new List<string> { "run" };
        if (appSettings)
            directory.Write(VpnMasqConfiguration.AppSettingsFileName, Retries(1));
        if (configFile)
            args.AddRange(["--config", directory.Write("gateway.json", Retries(2))]);
        var env = new Dictionary<string, string?>();
        if (environment)
            env["VPNMASQ__Masquerade__Esp__InitRetries"] = "3";
        if (commandLine)
            args.Add($"--{Key}=4");

        var config = VpnMasqConfiguration.Build([.. args], directory.Path, env);

        Assert.Equal(expected, config[Key]);
    }

    [Fact]
    public void CommandLineListEntry_OverridesTheFileEntry()
    {
        using var directory = new TempDirectory();
        directory.Write(VpnMasqConfiguration.AppSettingsFileName, """{ "Masquerade": { "Inside": ["10.0.0.0/8"] } }""");

        var config = VpnMasqConfiguration.Build(["run", "--Masquerade:Inside:0=192.168.0.0/16"], directory.Path, ConfigurationSources.NoEnvironment);

        Assert.Equal("192.168.0.0/16", config["Masquerade:Inside:0"]);
    }

    [Fact]
    public void ConfigFile_Missing_IsAClearError()
    {
        using var directory = new TempDirectory();
        string missing = Path.Combine(directory.Path, "nope.json");

        var error = Assert.Throws<ConfigurationException>(
            () => VpnMasqConfiguration.Build(["run", "--config", missing], directory.Path, ConfigurationSources.NoEnvironment));

        Assert.Equal("--config", error.Key);
        Assert.StartsWith($"--config: '{missing}' does not exist", error.Message);
    }

    [Fact]
    public void ConfigFile_WithoutAName_IsAClearError()
    {
        var error = Assert.Throws<ConfigurationException>(
            () => ConfigurationSources.FromArgs("run", "--config"));

        Assert.StartsWith("--config: a file name is required", error.Message);
    }

    [Fact]
    public void ConfigFile_EqualsForm_IsRead()
    {
        using var directory = new TempDirectory();
        string file = directory.Write("gateway.json", Retries(7));

        var config = VpnMasqConfiguration.Build(["replay", $"--config={file}"], directory.Path, ConfigurationSources.NoEnvironment);

        Assert.Equal("7", config[Key]);
    }

    [Fact]
    public void ConfigFile_NotJson_NamesTheFile()
    {
        using var directory = new TempDirectory();
        string file = directory.Write("gateway.json", "{ \"Masquerade\": ");

        var error = Assert.Throws<ConfigurationException>(
            () => VpnMasqConfiguration.Build(["run", "--config", file], directory.Path, ConfigurationSources.NoEnvironment));

        Assert.Contains(file, error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public void AppSettings_Absent_IsFine()
    {
        using var directory = new TempDirectory();

        var config = VpnMasqConfiguration.Build(["run"], directory.Path, ConfigurationSources.NoEnvironment);

        Assert.DoesNotContain(config.AsEnumerable(), p => p.Value is not null);
    }

    [Fact]
    public void Environment_WithoutThePrefix_IsIgnored()
    {
        var env = new Dictionary<string, string?> { ["Masquerade__Esp__InitRetries"] = "9", ["vpnmasq__Masquerade__Isakmp__Lifetime"] = "01:00:00" };

        using var directory = new TempDirectory();
        var config = VpnMasqConfiguration.Build(["run"], directory.Path, env);

        Assert.Null(config[Key]);
        Assert.Equal("01:00:00", config["Masquerade:Isakmp:Lifetime"]);
    }

    [Fact]
    public void Environment_NotInjected_IsTheProcessEnvironment()
    {
        string section = "VpnMasqTest" + Guid.NewGuid().ToString("N");
        string name = $"VPNMASQ__{section}__Value";
        using var directory = new TempDirectory();
        Environment.SetEnvironmentVariable(name, "from-process");
        try
        {
            var config = VpnMasqConfiguration.Build(["run"], directory.Path);

            Assert.Equal("from-process", config[$"{section}:Value"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void VerbAndConfigOption_AreNotConfiguration()
    {
        using var directory = new TempDirectory();
        string file = directory.Write("gateway.json", "{}");

        var config = VpnMasqConfiguration.Build(["run", "--config", file], directory.Path, ConfigurationSources.NoEnvironment);

        Assert.Null(config["config"]);
        Assert.DoesNotContain(config.AsEnumerable(), p => p.Value is not null);
    }

    [Fact]
    public void ReplayCommandLine_KeepsOverridesAfterItsOwnOptions()
    {
        using var directory = new TempDirectory();
        string file = directory.Write("gateway.json", Retries(2));

        var config = VpnMasqConfiguration.Build(
            ["replay", "--in", "in.pcap", "--out", "out.pcap", "--config", file, "--Masquerade:Esp:InitRetries", "5"],
            directory.Path,
            ConfigurationSources.NoEnvironment);

        Assert.Equal("5", config[Key]);
        Assert.Equal("in.pcap", config["in"]);
    }

    [Fact]
    public void Aliases_SetTheNodeKeys()
    {
        var config = ConfigurationSources.FromArgs("run", "--inside", "eth1", "--outside=eth2", "--data-dir", "/var/lib/vpnmasq", "--manage-kernel");

        Assert.Equal("eth1", config["Node:InsideInterface"]);
        Assert.Equal("eth2", config["Node:OutsideInterface"]);
        Assert.Equal("/var/lib/vpnmasq", config["Node:DataDir"]);
        Assert.Equal("true", config["Node:ManageKernel"]);
    }

    [Fact]
    public void InsideAlias_FeedsMasqueradeInsideInterface()
    {
        var config = ConfigurationSources.FromArgs("run", "--inside", "lan0", "--Masquerade:PublicAddress=203.0.113.1");

        Assert.Equal("lan0", MasqueradeOptionsBinder.Bind(config).InsideInterface);
    }
}
