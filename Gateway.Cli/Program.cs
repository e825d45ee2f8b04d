namespace VpnMasq.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("vpnmasq: the cluster CLI arrives with the management API; nothing to do yet.");
        return args.Length == 0 ? 0 : 2;
    }
}
