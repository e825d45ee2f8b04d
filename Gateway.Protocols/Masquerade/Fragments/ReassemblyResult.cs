namespace VpnMasq.Protocols.Masquerade.Fragments;

internal enum ReassemblyStatus : byte
{
    /// <summary>The fragment is kept until its train completes or times out (verdict "hold").</summary>
    Held,

    /// <summary><see cref="ReassemblyResult.Frame"/> holds the whole datagram.</summary>
    Complete,

    /// <summary>The fragment was refused (drop "fragment-invalid", or "malformed" for <see cref="FragmentError.Malformed"/>).</summary>
    Invalid,
}

/// <summary>Why a fragment was refused.</summary>
internal enum FragmentError : byte
{
    None = 0,

    /// <summary>No well-formed IPv4 header with a valid checksum at the network offset.</summary>
    Malformed,

    /// <summary>A fragment other than the last whose payload is not a multiple of 8 bytes.</summary>
    Misaligned,

    /// <summary>The reassembled datagram would exceed 65535 bytes (the "ping of death").</summary>
    TooLong,

    /// <summary>The fragment overlaps held data with different bytes.</summary>
    Overlap,

    /// <summary>An empty fragment, or one that disagrees with the end of the datagram the train already knows.</summary>
    InconsistentLength,

    /// <summary>The train would hold more payload than the per-train byte cap.</summary>
    TrainTooLarge,
}

/// <summary>
/// What <see cref="FragmentReassembler.Add"/> did with one fragment. Whatever the status,
/// <see cref="Evicted"/> lists the trains dropped to make room for it, and an invalid fragment
/// that belongs to a held train takes the train with it (<see cref="Discarded"/>): every fragment
/// those trains held was reported as held before and is now dropped.
/// </summary>
internal readonly record struct ReassemblyResult
{
    private readonly IReadOnlyList<ExpiredTrain>? _evicted;

    private ReassemblyResult(
        ReassemblyStatus status, byte[]? frame, FragmentError error, IReadOnlyList<ExpiredTrain> evicted, ExpiredTrain? discarded)
    {
        Status = status;
        Frame = frame;
        Error = error;
        _evicted = evicted;
        Discarded = discarded;
    }

    public ReassemblyStatus Status { get; }

    /// <summary>The whole reassembled link-layer frame, only when <see cref="ReassemblyStatus.Complete"/>.</summary>
    public byte[]? Frame { get; }
    public FragmentError Error { get; }

    /// <summary>Trains evicted (oldest first) because the train limit or the byte cap was reached.</summary>
    public IReadOnlyList<ExpiredTrain> Evicted => _evicted ?? [];

    /// <summary>The held train an invalid fragment belonged to, dropped with it.</summary>
    public ExpiredTrain? Discarded { get; }

    internal static ReassemblyResult Held(IReadOnlyList<ExpiredTrain> evicted) =>
        new(ReassemblyStatus.Held, null, FragmentError.None, evicted, null);

    internal static ReassemblyResult Complete(byte[] frame, IReadOnlyList<ExpiredTrain> evicted) =>
        new(ReassemblyStatus.Complete, frame, FragmentError.None, evicted, null);

    internal static ReassemblyResult Invalid(FragmentError error, ExpiredTrain? discarded = null) =>
        new(ReassemblyStatus.Invalid, null, error, [], discarded);
}
