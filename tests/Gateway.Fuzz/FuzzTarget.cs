using VpnMasq.Fuzz.Seeds;

namespace VpnMasq.Fuzz;

/// <summary>Runs one fuzz input. Wire data must never make it throw: any exception that escapes is a crash.</summary>
internal delegate void FuzzAction(ReadOnlySpan<byte> input);

/// <summary>
/// One named fuzz target: what it feeds, and how its seed inputs are cut from real captures — from each
/// frame (null when the frame holds nothing for this target), and optionally from a capture as a whole.
/// </summary>
internal sealed record FuzzTarget(string Name, FuzzAction Run, Func<SeedFrame, byte[]?> SeedOf)
{
    public Func<SeedCapture, IEnumerable<byte[]>>? SeedsOfCapture { get; init; }
}
