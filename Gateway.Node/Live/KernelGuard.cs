using System.Diagnostics;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Node.Live;

/// <summary>
/// The host kernel must neither forward the traffic vpnmasqd masquerades nor answer it (DESIGN §4,
/// issue: RSTs, port- and protocol-unreachables for 47/50): forwarding off on both interfaces, and an
/// nftables table that drops, after libpcap has seen them, inside frames routed through the gateway and
/// outside frames to the public address that are not the host's own connections.
/// </summary>
internal static class KernelGuard
{
    public const string Table = "vpnmasq";

    public static string Ruleset(string inside, string outside, uint publicAddress) => $$"""
        table inet {{Table}} {
          chain prerouting {
            type filter hook prerouting priority -150; policy accept;
            iifname "{{inside}}" fib daddr type unicast drop
            iifname "{{outside}}" ip daddr {{Ipv4Address.Format(publicAddress)}} ct state established,related accept
            iifname "{{outside}}" ip daddr {{Ipv4Address.Format(publicAddress)}} drop
          }
        }
        """;

    /// <summary>Returns the problems found; empty when the kernel is set up as vpnmasqd needs.</summary>
    public static List<string> Check(string inside, string outside)
    {
        var problems = new List<string>();
        foreach (var link in new[] { inside, outside })
        {
            if (Forwarding(link))
                problems.Add($"IP forwarding is on for {link} (sysctl -w net.ipv4.conf.{link}.forwarding=0)");
        }

        if (Run("nft", $"list table inet {Table}").ExitCode != 0)
            problems.Add($"the nftables table inet {Table} is missing (nft -f with the ruleset vpnmasqd prints at debug level)");
        return problems;
    }

    public static void Install(string inside, string outside, uint publicAddress)
    {
        foreach (var link in new[] { inside, outside })
            File.WriteAllText(ForwardingPath(link), "0");
        Run("nft", $"delete table inet {Table}");
        var result = Run("nft", "-f -", Ruleset(inside, outside, publicAddress));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"nft could not install the vpnmasq table: {result.Error.Trim()}");
    }

    public static void Remove() => Run("nft", $"delete table inet {Table}");

    private static string ForwardingPath(string link) => $"/proc/sys/net/ipv4/conf/{link}/forwarding";

    private static bool Forwarding(string link)
    {
        string path = ForwardingPath(link);
        return File.Exists(path) && File.ReadAllText(path).Trim() != "0";
    }

    private static (int ExitCode, string Error) Run(string program, string arguments, string? input = null)
    {
        try
        {
            var info = new ProcessStartInfo(program, arguments)
            {
                RedirectStandardInput = input is not null,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info)!;
            if (input is not null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }

            process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"{program}: {e.Message}");
        }
    }
}
