namespace VpnMasq.Fuzz.Targets;

/// <summary>Where targets put what they read, so every accessor really runs (and may throw) on each input.</summary>
internal static class Sink
{
    private static long _value;

    public static void Keep(long value) => _value ^= value;

    public static void Keep<T>(T value) where T : struct => _value ^= value.GetHashCode();
}
