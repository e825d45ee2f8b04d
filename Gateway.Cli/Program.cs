using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VpnMasq.Cli;

/// <summary>
/// <c>vpnmasq</c>: reads one node's management API and prints it for people (tables) or scripts (<c>--json</c>).
/// Exit codes: 0 done (health: ready), 1 health: not ready, 2 bad usage or the node could not answer.
/// </summary>
internal static class Program
{
    private static Task<int> Main(string[] args) =>
        RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        Invocation invocation;
        try
        {
            invocation = CommandLine.Parse(args, environment("VPNMASQ_URL"));
        }
        catch (UsageException e)
        {
            await stderr.WriteAsync($"vpnmasq: {e.Message}\n\n{CommandLine.Usage}").ConfigureAwait(false);
            return 2;
        }

        if (invocation.Command == CommandLine.Help)
        {
            await stdout.WriteAsync(CommandLine.Usage).ConfigureAwait(false);
            return 0;
        }

        try
        {
            using var node = new NodeClient(invocation.Url, ReadToken(invocation.TokenFile), invocation.TokenFile);
            var (exitCode, output) = invocation.Command switch
            {
                "table" => (0, await Table(node, invocation).ConfigureAwait(false)),
                "counters" => (0, await Counters(node, invocation.Json).ConfigureAwait(false)),
                "members" => (0, await Members(node, invocation.Json).ConfigureAwait(false)),
                _ => await Health(node, invocation).ConfigureAwait(false),
            };
            await stdout.WriteAsync(output).ConfigureAwait(false);
            return exitCode;
        }
        catch (NodeException e)
        {
            await stderr.WriteAsync($"vpnmasq: {e.Message}\n").ConfigureAwait(false);
            return 2;
        }
    }

    private static async Task<string> Table(NodeClient node, Invocation invocation)
    {
        var peers = invocation.Filter.Apply(Parse<JsonArray>("table", await node.GetOkAsync("table").ConfigureAwait(false)));
        return invocation.Json
            ? peers.ToJsonString() + "\n"
            : TableRendering.Peers(Read<List<PeerView>>("table", peers), filtered: invocation.Filter != TableFilter.None);
    }

    private static async Task<string> Counters(NodeClient node, bool json)
    {
        var counters = Parse<JsonObject>("counters", await node.GetOkAsync("counters").ConfigureAwait(false));
        return json ? counters.ToJsonString() + "\n" : TableRendering.Counters(Read<Dictionary<string, long>>("counters", counters));
    }

    private static async Task<string> Members(NodeClient node, bool json)
    {
        var members = Parse<JsonArray>("members", await node.GetOkAsync("members").ConfigureAwait(false));
        return json ? members.ToJsonString() + "\n" : TableRendering.Members(Read<List<MemberView>>("members", members));
    }

    /// <summary>/ready answers without a token: 200 ready, 503 not ready (DESIGN §5.3).</summary>
    private static async Task<(int ExitCode, string Output)> Health(NodeClient node, Invocation invocation)
    {
        var (status, body) = await node.GetAsync("ready").ConfigureAwait(false);
        bool ready = status switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.ServiceUnavailable => false,
            _ => throw node.Unexpected("ready", status, body),
        };
        string output = invocation.Json
            ? $"{{\"ready\":{(ready ? "true" : "false")}}}\n"
            : $"{invocation.Url.OriginalString} is {(ready ? "ready" : "not ready")}\n";
        return (ready ? 0 : 1, output);
    }

    private static string? ReadToken(string? tokenFile)
    {
        if (tokenFile is null) return null;
        try
        {
            string token = File.ReadAllText(tokenFile).Trim();
            return token.Length > 0 ? token : throw new NodeException($"token file {tokenFile} is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeException($"cannot read token file {tokenFile}: {e.Message}");
        }
    }

    private static T Parse<T>(string path, string body) where T : JsonNode
    {
        try
        {
            return JsonNode.Parse(body) as T ?? throw new NodeException($"/{path} did not answer a JSON {typeof(T).Name[4..].ToLowerInvariant()}");
        }
        catch (JsonException e)
        {
            throw new NodeException($"/{path} did not answer JSON: {e.Message}");
        }
    }

    private static T Read<T>(string path, JsonNode json)
    {
        try
        {
            return json.Deserialize<T>(JsonSerializerOptions.Web) ?? throw new NodeException($"/{path} answered null");
        }
        catch (JsonException e)
        {
            throw new NodeException($"/{path} answered JSON of another shape: {e.Message}");
        }
    }
}
