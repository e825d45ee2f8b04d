using VpnMasq.Node.Configuration;
using VpnMasq.Node.Replay;

namespace VpnMasq.Node;

internal static class Program
{
    private const string Usage = """
        usage: vpnmasqd replay --in IN.pcap --out OUT.pcap [--events EVENTS.jsonl] [--config FILE] [--Masquerade:Key=value ...]
               vpnmasqd run [--config FILE] [--Node:InsideInterface=IF] [--Node:OutsideInterface=IF] ...
        """;

    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Error.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            return args[0] switch
            {
                "replay" => ReplayCommand.Run(args[1..], Console.Error),
                "run" => Live.RunCommand.RunAsync(args[1..], Console.Error).GetAwaiter().GetResult(),
                _ => Fail($"unknown command '{args[0]}'\n{Usage}"),
            };
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException or FileNotFoundException
                                      or InvalidDataException or IOException or UnauthorizedAccessException
                                      or FormatException or Protocols.Masquerade.Firewall.RuleParseException
                                      or InvalidOperationException or Npgsql.NpgsqlException or SharpPcap.PcapException)
        {
            return Fail(e.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"vpnmasqd: {message.ReplaceLineEndings(" ").Trim()}");
        return 1;
    }
}
