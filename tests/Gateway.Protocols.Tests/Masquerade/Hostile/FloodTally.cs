using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Protocols.Tests.Masquerade.Hostile;

/// <summary>What a flood came to: verdicts by action or drop reason, entries evicted, frames until the limit was first hit, time per frame (wall clock).</summary>
internal sealed record FloodTally(IReadOnlyDictionary<string, int> Verdicts, int Evictions, int? FramesToLimit, TimeSpan PerFrame)
{
    public int this[string verdict] => Verdicts.GetValueOrDefault(verdict);

    public static bool IsEviction(PeerEvent e) => e is PortUnmapped { Cause: RemovalCause.Evicted } or IcmpUnmapped { Cause: RemovalCause.Evicted }
        or IsakmpExchangeRemoved { Cause: RemovalCause.Evicted } or PptpCallUnmapped { Cause: RemovalCause.Evicted }
        or EspEntryRemoved { Cause: RemovalCause.Evicted };

    public override string ToString() =>
        $"{string.Join(", ", Verdicts.OrderBy(v => v.Key).Select(v => $"{v.Key} {v.Value}"))}; evicted {Evictions}; limit hit at frame {FramesToLimit}; {PerFrame.TotalMicroseconds:F0} µs per frame";
}
