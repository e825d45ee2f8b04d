namespace VpnMasq.Protocols.Masquerade.Fragments;

/// <summary>
/// A fragment train dropped before it completed: timed out, evicted for room, or discarded with
/// an invalid fragment. <see cref="FragmentCount"/> is the number of frames it held (duplicates
/// included), so the caller can count one drop per frame it reported as held.
/// </summary>
internal sealed record ExpiredTrain(uint Source, uint Destination, byte Protocol, ushort Identification, int FragmentCount);

/// <summary>What identifies the fragments of one datagram (RFC 791 §3.2).</summary>
internal readonly record struct FragmentKey(uint Source, uint Destination, byte Protocol, ushort Identification);
