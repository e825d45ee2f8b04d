using VpnMasq.Node.Configuration;

namespace VpnMasq.Node.Tests.Configuration;

public sealed class CommandLineArgumentsTests
{
    [Fact]
    public void Parse_FirstWord_IsTheVerb()
    {
        var parsed = CommandLineArguments.Parse(["run", "--Node:DataDir=/tmp"]);

        Assert.Equal("run", parsed.Verb);
        Assert.Equal(["--Node:DataDir=/tmp"], parsed.Overrides);
    }

    [Fact]
    public void Parse_NoVerb_KeepsEveryOverride()
    {
        var parsed = CommandLineArguments.Parse(["--Masquerade:Esp:InitRetries=5"]);

        Assert.Null(parsed.Verb);
        Assert.Equal(["--Masquerade:Esp:InitRetries=5"], parsed.Overrides);
    }

    [Fact]
    public void Parse_ConfigOption_IsTakenOut()
    {
        var parsed = CommandLineArguments.Parse(["run", "--config", "a.json", "--Node:DataDir=/tmp"]);

        Assert.Equal("a.json", parsed.ConfigFile);
        Assert.Equal(["--Node:DataDir=/tmp"], parsed.Overrides);
    }

    [Fact]
    public void Parse_ConfigGivenTwice_IsAnError()
    {
        var error = Assert.Throws<ConfigurationException>(() => CommandLineArguments.Parse(["run", "--config", "a.json", "--config=b.json"]));

        Assert.StartsWith("--config: given twice ('a.json' and 'b.json')", error.Message);
    }

    [Fact]
    public void Parse_ValueOfAnOverride_IsNeverReadAsAnAlias()
    {
        var parsed = CommandLineArguments.Parse(["run", "--Masquerade:Rules:0", "--inside"]);

        Assert.Equal(["--Masquerade:Rules:0", "--inside"], parsed.Overrides);
    }

    [Theory]
    [InlineData("false", "false")]
    [InlineData("true", "true")]
    public void Parse_ManageKernelFollowedByABoolean_TakesIt(string value, string expected)
    {
        var parsed = CommandLineArguments.Parse(["run", "--manage-kernel", value]);

        Assert.Equal([$"--Node:ManageKernel={expected}"], parsed.Overrides);
    }

    [Fact]
    public void Parse_ManageKernelFollowedByAnotherOption_IsTrue()
    {
        var parsed = CommandLineArguments.Parse(["run", "--manage-kernel", "--inside", "eth0"]);

        Assert.Equal(["--Node:ManageKernel=true", "--Node:InsideInterface=eth0"], parsed.Overrides);
    }

    [Fact]
    public void Parse_AliasWithoutValue_IsAnError()
    {
        var error = Assert.Throws<ConfigurationException>(() => CommandLineArguments.Parse(["run", "--inside"]));

        Assert.StartsWith("--inside: a value is required", error.Message);
    }

    [Fact]
    public void Build_SpaceSeparatedListEntry_KeepsItsDashes()
    {
        var config = ConfigurationSources.FromArgs("run", "--Masquerade:Rules:0", "-P forward DENY");

        Assert.Equal("-P forward DENY", config["Masquerade:Rules:0"]);
    }
}
