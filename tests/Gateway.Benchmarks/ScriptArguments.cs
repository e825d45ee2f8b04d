using System.Globalization;

namespace VpnMasq.Benchmarks;

/// <summary>The options of the scripted runs (<c>journal</c>, <c>burst</c>): <c>--name N</c>, or the fallback.</summary>
internal static class ScriptArguments
{
    public static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
