using VpnMasq.Fuzz.Targets;

namespace VpnMasq.Fuzz;

/// <summary>Every fuzz target by name: one per parser, the dissector per link type, the PPTP stream reader, the capture reader, the engine.</summary>
internal static class TargetCatalog
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        .. HeaderTargets.All,
        .. DissectorTargets.All,
        PptpStreamTarget.Target,
        CaptureFileTarget.Target,
        GatewayTarget.Target,
    ];

    /// <summary>A target of <see cref="All"/>, or the canary that checks afl-fuzz sees crashes at all.</summary>
    public static FuzzTarget? Find(string name) =>
        name == CanaryTarget.Target.Name ? CanaryTarget.Target : All.FirstOrDefault(t => t.Name == name);
}
