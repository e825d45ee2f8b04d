using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using VpnMasq.Node.Configuration;

namespace VpnMasq.Node.Tests.Configuration;

/// <summary>Where a test puts its configuration: each source must bind the same way.</summary>
public enum Source
{
    Json,
    Environment,
    CommandLine,
}

/// <summary>
/// Builds a configuration holding the given keys from one source, through
/// <see cref="VpnMasqConfiguration.Build"/>. Never reads the machine's environment.
/// </summary>
internal static class ConfigurationSources
{
    public static readonly Dictionary<string, string?> NoEnvironment = [];

    public static IConfigurationRoot Build(Source source, params (string Key, string Value)[] pairs)
    {
        using var directory = new TempDirectory();
        return source switch
        {
            Source.Json => BuildFromJson(directory, ToJson(pairs)),
            Source.Environment => VpnMasqConfiguration.Build(
                ["run"], directory.Path, pairs.ToDictionary(p => "VPNMASQ__" + p.Key.Replace(":", "__", StringComparison.Ordinal), p => (string?)p.Value)),
            Source.CommandLine => VpnMasqConfiguration.Build(["run", .. pairs.Select(p => $"--{p.Key}={p.Value}")], directory.Path, NoEnvironment),
            _ => throw new ArgumentOutOfRangeException(nameof(source)),
        };
    }

    /// <summary>The command line alone: no appsettings.json (an empty temp directory), no environment.</summary>
    public static IConfigurationRoot FromArgs(params string[] args)
    {
        using var directory = new TempDirectory();
        return VpnMasqConfiguration.Build(args, directory.Path, NoEnvironment);
    }

    /// <summary>The JSON text as appsettings.json beside the executable.</summary>
    public static IConfigurationRoot FromJson(string json)
    {
        using var directory = new TempDirectory();
        return BuildFromJson(directory, json);
    }

    private static IConfigurationRoot BuildFromJson(TempDirectory directory, string json)
    {
        directory.Write(VpnMasqConfiguration.AppSettingsFileName, json);
        return VpnMasqConfiguration.Build(["run"], directory.Path, NoEnvironment);
    }

    /// <summary>Flat keys to the nested JSON a user writes: numbered keys become arrays, numbers and booleans stay unquoted.</summary>
    private static string ToJson((string Key, string Value)[] pairs)
    {
        var root = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            var segments = key.Split(':');
            var node = root;
            foreach (string segment in segments[..^1])
                node = (JsonObject)(node[segment] ??= new JsonObject());
            node[segments[^1]] = long.TryParse(value, out long number) ? JsonValue.Create(number)
                : bool.TryParse(value, out bool flag) ? JsonValue.Create(flag)
                : JsonValue.Create(value);
        }

        return Arrays(root)!.ToJsonString();
    }

    private static JsonNode? Arrays(JsonNode? node)
    {
        if (node is not JsonObject obj)
            return node?.DeepClone();
        var children = obj.Select(p => (p.Key, Value: Arrays(p.Value))).ToList();
        if (children.Count > 0 && children.All(c => int.TryParse(c.Key, out _)))
            return new JsonArray([.. children.OrderBy(c => int.Parse(c.Key)).Select(c => c.Value)]);
        var copy = new JsonObject();
        foreach (var (key, value) in children)
            copy[key] = value;
        return copy;
    }
}
