using System.Net;
using System.Net.Sockets;

namespace VpnMasq.Cli;

/// <summary>What the user asked for: which node, how to authenticate, which command, which rows.</summary>
internal sealed record Invocation(Uri Url, string? TokenFile, bool Json, string Command, TableFilter Filter);

/// <summary>Bad usage; the caller prints the message and <see cref="CommandLine.Usage"/> and exits 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// <c>vpnmasq [--url URL] [--token-file FILE] [--json] COMMAND [filters]</c>. Options may stand before or
/// after the command and take their value as the next argument or after <c>=</c>.
/// </summary>
internal static class CommandLine
{
    public const string DefaultUrl = "http://127.0.0.1:9555";
    public const string Help = "help";

    public const string Usage = """
        usage: vpnmasq [--url URL] [--token-file FILE] [--json] COMMAND [filters]

        commands:
          table     the masquerade table of the node's peers, one row per entry
                      --peer ADDR        only this remote peer
                      --protocol PROTO   only esp, isakmp, pptp, tcp, udp or icmp entries
                      --inside ADDR      only entries of this inside host
          counters  forward, hold and drop counters of the node
          members   cluster members as the node sees them
          health    exit 0 if the node is ready, 1 if not

        options:
          --url URL          management URL of any node (default $VPNMASQ_URL, else http://127.0.0.1:9555)
          --token-file FILE  file holding the node's Management:TokenFile token
          --json             print the node's JSON (filtered) instead of a table

        """;

    private static readonly string[] Commands = ["table", "counters", "members", "health"];
    private static readonly string[] Protocols = ["esp", "isakmp", "pptp", "tcp", "udp", "icmp"];

    public static Invocation Parse(IReadOnlyList<string> args, string? urlFromEnvironment)
    {
        string? url = null, tokenFile = null, command = null, peer = null, protocol = null, inside = null;
        bool json = false;

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            int equals = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
            string name = equals < 0 ? arg : arg[..equals];
            string Value() => equals >= 0 ? arg[(equals + 1)..]
                : i + 1 < args.Count ? args[++i]
                : throw new UsageException($"{name} needs a value");

            switch (name)
            {
                case "-h" or "--help": return new Invocation(new Uri(DefaultUrl), null, false, Help, TableFilter.None);
                case "--url": url = Value(); break;
                case "--token-file": tokenFile = Value(); break;
                case "--json": json = equals < 0 ? true : throw new UsageException("--json takes no value"); break;
                case "--peer": peer = Address(name, Value()); break;
                case "--inside": inside = Address(name, Value()); break;
                case "--protocol": protocol = Protocol(Value()); break;
                case ['-', ..]: throw new UsageException($"unknown option {name}");
                default:
                    if (command is not null) throw new UsageException($"unexpected argument '{arg}'");
                    command = Commands.Contains(arg) ? arg : throw new UsageException($"unknown command '{arg}'");
                    break;
            }
        }

        if (command is null) throw new UsageException("no command given");
        var filter = new TableFilter(peer, protocol, inside);
        if (command != "table" && filter != TableFilter.None) throw new UsageException("--peer, --protocol and --inside filter the table command only");
        return new Invocation(NodeUrl(url ?? urlFromEnvironment ?? DefaultUrl), tokenFile, json, command, filter);
    }

    private static Uri NodeUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"'{text}' is not an http:// or https:// URL");

    /// <summary>A dotted quad, normalised the way the node prints addresses (IPAddress alone would take "10.1" too).</summary>
    private static string Address(string option, string text) =>
        text.Count(c => c == '.') == 3 && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork
            ? address.ToString()
            : throw new UsageException($"{option} wants an IPv4 address such as 10.0.0.2, not '{text}'");

    private static string Protocol(string text)
    {
        string protocol = text.ToLowerInvariant();
        return Protocols.Contains(protocol) ? protocol : throw new UsageException($"--protocol is one of {string.Join(", ", Protocols)}, not '{text}'");
    }
}
