namespace VpnMasq.Node.Logs;

/// <summary>
/// The node's own log categories, for <c>Logging:LogLevel:CATEGORY</c>. Akka's lines carry the category of
/// the class that logged them (<c>Akka.Cluster…</c>, <c>VpnMasq.Actors…</c>), see <see cref="AkkaCategoryLogger"/>.
/// </summary>
internal static class LogCategories
{
    /// <summary>Start, stop, public address changes: what <c>vpnmasqd run</c> says about itself.</summary>
    public const string Node = "VpnMasq.Node";

    /// <summary>Every dropped frame's reason, first per peer and reason, then throttled (DESIGN §3.8).</summary>
    public const string Drops = "VpnMasq.Drops";

    /// <summary>Capture and transmission on the interfaces.</summary>
    public const string Live = "VpnMasq.Live";
}
