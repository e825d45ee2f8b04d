using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Replay;

/// <summary>What a replay did: frames in and out, and drops by reason code.</summary>
internal sealed class ReplaySummary
{
    public int FramesIn { get; private set; }
    public int FramesOut { get; private set; }
    public int Held { get; private set; }
    public SortedDictionary<string, int> Drops { get; } = new(StringComparer.Ordinal);

    public void Count(in Verdict verdict)
    {
        FramesIn++;
        FramesOut += verdict.Action == VerdictAction.Forward ? verdict.FrameCount : 0;
        if (verdict.Action == VerdictAction.Hold)
            Held++;
        if (verdict.Action == VerdictAction.Drop)
            Drops[verdict.Reason.Code()] = Drops.GetValueOrDefault(verdict.Reason.Code()) + 1;
    }

    public override string ToString()
    {
        string drops = Drops.Count == 0 ? "none" : string.Join(", ", Drops.Select(d => $"{d.Key} {d.Value}"));
        return $"replay: {FramesIn} frames in, {FramesOut} out, {Held} held, dropped: {drops}";
    }
}
