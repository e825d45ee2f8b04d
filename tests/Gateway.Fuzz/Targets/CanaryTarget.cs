using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Fuzz.Targets;

/// <summary>
/// A target that crashes on purpose, on any input holding a 0xFF byte (afl-fuzz finds one within its first
/// mutations of any seed). scripts/fuzz.sh runs it before the others and fails unless afl-fuzz saved a crash:
/// otherwise "0 crashes" could only mean the fuzzer cannot see one. It parses the input as IPv4 first
/// because afl-fuzz refuses a target that reaches no instrumented code.
/// </summary>
internal static class CanaryTarget
{
    public static FuzzTarget Target { get; } = new("canary", Run, _ => null);

    private static void Run(ReadOnlySpan<byte> input)
    {
        Sink.Keep(Ipv4Header.Parse(input, out _));
        if (input.Contains((byte)0xFF))
            throw new InvalidOperationException("canary: the fuzzer reports crashes");
    }
}
