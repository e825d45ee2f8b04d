using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Masquerade.Fragments;

/// <summary>
/// Reassembles IPv4 fragments (RFC 791 §3.2) into whole frames, so the masquerade rules always
/// see a whole datagram (an IKE message with certificates is often fragmented). Trains are keyed
/// by source, destination, protocol and identification; fragments may arrive in any order and
/// identical duplicates are harmless. Memory is bounded three ways: at most
/// <see cref="LimitOptions.FragmentTrains"/> trains, at most <see cref="MaxTrainBytes"/> payload
/// bytes per train and <see cref="MaxHeldBytes"/> in all; the oldest train is evicted for room.
/// Call <see cref="Expire"/> with the same clock as <see cref="Add"/>; time must not run backwards.
/// </summary>
internal sealed class FragmentReassembler
{
    /// <summary>The largest payload a datagram can carry, so by default a train is never refused for size alone.</summary>
    public const int DefaultMaxTrainBytes = ushort.MaxValue - Ipv4Header.MinLength;
    public const int DefaultMaxHeldBytes = 4 * 1024 * 1024;

    private readonly Dictionary<FragmentKey, FragmentTrain> _trains = [];
    private readonly LinkedList<FragmentTrain> _byAge = new();
    private readonly int _maxTrains;
    private readonly TimeSpan _timeout;

    public FragmentReassembler(LimitOptions limits, int maxTrainBytes = DefaultMaxTrainBytes, int maxHeldBytes = DefaultMaxHeldBytes)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.FragmentTrains, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrainBytes, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeldBytes, maxTrainBytes);
        _maxTrains = limits.FragmentTrains;
        _timeout = limits.FragmentTimeout;
        MaxTrainBytes = maxTrainBytes;
        MaxHeldBytes = maxHeldBytes;
    }

    public int MaxTrainBytes { get; }
    public int MaxHeldBytes { get; }
    public int TrainCount => _trains.Count;

    /// <summary>Payload bytes held across all trains.</summary>
    public int HeldBytes { get; private set; }

    /// <summary>Trains evicted for room since this instance was made (not counting timeouts).</summary>
    public long Evictions { get; private set; }

    /// <summary>
    /// Adds one fragment: <paramref name="frame"/> is the whole link-layer frame and its IPv4 header
    /// starts at <paramref name="networkOffset"/>. A datagram that is not a fragment comes back
    /// <see cref="ReassemblyStatus.Complete"/> as a copy (without link-layer padding). Never throws on wire data.
    /// </summary>
    public ReassemblyResult Add(ReadOnlySpan<byte> frame, int networkOffset, TimeSpan now)
    {
        if ((uint)networkOffset > (uint)frame.Length
            || Ipv4Header.Parse(frame[networkOffset..], out var ip) != ParseStatus.Ok
            || !ip.ChecksumValid)
            return ReassemblyResult.Invalid(FragmentError.Malformed);
        if (!ip.IsFragment)
            return ReassemblyResult.Complete(frame[..(networkOffset + ip.TotalLength)].ToArray(), []);

        var key = new FragmentKey(ip.Source, ip.Destination, ip.Protocol, ip.Identification);
        var payload = ip.Payload;
        int offset = ip.FragmentOffsetBytes;
        bool last = !ip.MoreFragments;
        bool held = _trains.TryGetValue(key, out var train);
        train ??= new FragmentTrain(key, now);

        int newBytes = 0;
        var error = payload.IsEmpty ? FragmentError.InconsistentLength
            : !last && payload.Length % 8 != 0 ? FragmentError.Misaligned
            : train.Check(offset, payload, last, ip.HeaderLength, out newBytes);
        if (error == FragmentError.None && train.HeldBytes + newBytes > MaxTrainBytes)
            error = FragmentError.TrainTooLarge;
        if (error != FragmentError.None)
            return ReassemblyResult.Invalid(error, held ? Remove(train) : null);

        List<ExpiredTrain>? evicted = null;
        if (!held)
        {
            if (_trains.Count >= _maxTrains)
                (evicted ??= []).Add(Evict(_byAge.First!.Value));
            _trains.Add(key, train);
            train.AgeNode = _byAge.AddLast(train);
        }

        while (HeldBytes + newBytes > MaxHeldBytes)
        {
            var oldest = _byAge.First!.Value == train ? _byAge.First.Next!.Value : _byAge.First.Value;
            (evicted ??= []).Add(Evict(oldest));
        }

        int before = train.HeldBytes;
        train.Add(offset, payload, last, frame[..(networkOffset + ip.HeaderLength)], networkOffset);
        HeldBytes += train.HeldBytes - before;
        if (!train.IsComplete)
            return ReassemblyResult.Held(evicted ?? []);

        Remove(train);
        return ReassemblyResult.Complete(train.Assemble(), evicted ?? []);
    }

    /// <summary>Drops the trains whose first fragment arrived more than the fragment timeout before <paramref name="now"/>.</summary>
    public IReadOnlyList<ExpiredTrain> Expire(TimeSpan now)
    {
        List<ExpiredTrain>? expired = null;

        // Trains are in arrival order, so the first one still young ends the sweep.
        while (_byAge.First is { } node && now - node.Value.Started > _timeout)
            (expired ??= []).Add(Remove(node.Value));
        return expired ?? [];
    }

    private ExpiredTrain Evict(FragmentTrain train)
    {
        Evictions++;
        return Remove(train);
    }

    private ExpiredTrain Remove(FragmentTrain train)
    {
        _trains.Remove(train.Key);
        _byAge.Remove(train.AgeNode!);
        HeldBytes -= train.HeldBytes;
        return train.Describe();
    }
}
