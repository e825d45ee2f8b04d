using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Snapshots;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Protocols.Masquerade.Esp;

/// <summary>An ESP association between an inside host and this peer (HOWTO §6.2).</summary>
public sealed class EspEntry : IFlowEntry
{
    public required uint Inside { get; init; }
    public required uint OutboundSpi { get; init; }

    /// <summary>0 while outstanding: no reply has named the inbound SPI yet.</summary>
    public uint InboundSpi { get; internal set; }
    public required TimeSpan Created { get; init; }
    public TimeSpan LastSeen { get; internal set; }

    /// <summary>Set once another host's initial packet was blocked by this outstanding entry.</summary>
    public bool Collided { get; internal set; }

    /// <summary>Packets its host sent without a reply since the collision.</summary>
    public int RetriesSinceCollision { get; internal set; }
    public bool Announced { get; init; }
    public bool IsOutstanding => InboundSpi == 0;

    public EspEntry Copy() => (EspEntry)MemberwiseClone();

    void IFlowEntry.Saw(TimeSpan at) => LastSeen = FlowTranslation.Later(LastSeen, at);
}

/// <summary>
/// The ESP entries with one peer and the state of its init serialization (DESIGN §3.3). The turn queue holds at most
/// <paramref name="maxWaiting"/> hosts: a stampede (or a host spoofing many inside addresses) costs bounded memory, and
/// every decision that scans the queue stays cheap. A host blocked while the queue is full is still blocked; it joins
/// the queue on a later packet, once turns have made room. A host that stopped asking for <paramref name="patience"/>
/// (InitLifetime) no longer waits: it would otherwise block turns forever.
/// </summary>
public sealed class EspTable(int maxWaiting = int.MaxValue, TimeSpan? patience = null)
{
    private readonly TimeSpan _patience = patience ?? TimeSpan.MaxValue;
    private readonly Dictionary<(uint Inside, uint Spi), EspEntry> _byOutbound = [];
    private readonly Dictionary<uint, EspEntry> _byInbound = [];

    /// <summary>Hosts whose initial packet was blocked, in the order they first asked for a turn, with when they last asked.</summary>
    private readonly List<(uint Inside, TimeSpan Since)> _waiting = [];

    /// <summary>Each host's latest initial packet time: "most recently rekeyed" (HOWTO §6.2).</summary>
    private readonly Dictionary<uint, TimeSpan> _lastRekey = [];

    public int Count => _byOutbound.Count;
    public IEnumerable<EspEntry> Entries => _byOutbound.Values;
    public EspEntry? Outstanding { get; private set; }

    /// <summary>The host whose turn ended last; it does not get the next turn while another host waits.</summary>
    public uint TurnEndedHost { get; private set; }
    public IReadOnlyList<(uint Inside, TimeSpan Since)> Waiting => _waiting;
    public IReadOnlyDictionary<uint, TimeSpan> LastRekey => _lastRekey;

    public EspEntry? FindOutbound(uint inside, uint spi) => _byOutbound.GetValueOrDefault((inside, spi));

    public EspEntry? FindInbound(uint spi) => _byInbound.GetValueOrDefault(spi);

    /// <summary>The entry whose host sent ESP with this outbound SPI, whichever host that is.</summary>
    public EspEntry? FindSender(uint outboundSpi)
    {
        foreach (var entry in _byOutbound.Values)
        {
            if (entry.OutboundSpi == outboundSpi)
                return entry;
        }

        return null;
    }

    public bool HasEntryFromOtherHost(uint inside)
    {
        foreach (var entry in _byOutbound.Values)
        {
            if (entry.Inside != inside)
                return true;
        }

        return false;
    }

    public bool IsWaiting(uint inside) => _waiting.Exists(w => w.Inside == inside);

    public List<EspRow> Rows() => Entries
        .Select(e => new EspRow(e.Inside, e.OutboundSpi, e.InboundSpi, e.Created, e.LastSeen, e.Collided,
            e.RetriesSinceCollision, e.Announced, ReferenceEquals(e, Outstanding)))
        .OrderBy(r => r.Inside).ThenBy(r => r.OutboundSpi).ToList();

    public List<EspWaiter> Waiters() => _waiting.Select(w => new EspWaiter(w.Inside, w.Since)).ToList();

    public List<EspRekey> Rekeys() => _lastRekey.Select(r => new EspRekey(r.Key, r.Value)).OrderBy(r => r.Inside).ToList();

    /// <summary>Puts back a snapshot's entries and its turn queue.</summary>
    public void Restore(IEnumerable<EspRow> rows, IEnumerable<EspWaiter> waiting, IEnumerable<EspRekey> lastRekey, uint turnEndedHost)
    {
        foreach (var r in rows)
        {
            var entry = new EspEntry
            {
                Inside = r.Inside, OutboundSpi = r.OutboundSpi, InboundSpi = r.InboundSpi, Created = r.Created,
                LastSeen = r.LastSeen, Collided = r.Collided, RetriesSinceCollision = r.RetriesSinceCollision, Announced = r.Announced,
            };
            _byOutbound[(entry.Inside, entry.OutboundSpi)] = entry;
            if (entry.InboundSpi != 0)
                _byInbound[entry.InboundSpi] = entry;
            if (r.Outstanding)
                Outstanding = entry;
        }

        _waiting.AddRange(waiting.Select(w => (w.Inside, w.Since)));
        foreach (var r in lastRekey)
            _lastRekey[r.Inside] = r.At;
        TurnEndedHost = turnEndedHost;
    }

    /// <summary>A copy a decision may change without touching this table (entries copied too).</summary>
    public EspTable Clone()
    {
        var copy = new EspTable(maxWaiting, _patience) { TurnEndedHost = TurnEndedHost };
        foreach (var entry in _byOutbound.Values)
        {
            var e = entry.Copy();
            copy._byOutbound[(e.Inside, e.OutboundSpi)] = e;
            if (e.InboundSpi != 0 && ReferenceEquals(_byInbound.GetValueOrDefault(e.InboundSpi), entry))
                copy._byInbound[e.InboundSpi] = e;
            if (ReferenceEquals(entry, Outstanding))
                copy.Outstanding = e;
        }

        copy._waiting.AddRange(_waiting);
        foreach (var (host, at) in _lastRekey)
            copy._lastRekey[host] = at;
        return copy;
    }

    /// <summary>Applies any ESP event.</summary>
    public void Apply(PeerEvent e)
    {
        switch (e)
        {
            case EspInitStarted x: Apply(x); break;
            case EspInitBlocked x: Apply(x); break;
            case EspInitRetried x: Apply(x); break;
            case EspSpiAssociated x: Apply(x); break;
            case EspEntryRemoved x: Apply(x); break;
        }
    }

    public void Apply(EspInitStarted e)
    {
        DropStaleWaiters(e.At);
        var entry = new EspEntry { Inside = e.Inside, OutboundSpi = e.OutboundSpi, Created = e.At, LastSeen = e.At };
        _byOutbound[(e.Inside, e.OutboundSpi)] = entry;
        Outstanding = entry;
        _waiting.RemoveAll(w => w.Inside == e.Inside);
        _lastRekey[e.Inside] = e.At;
        TurnEndedHost = 0;
    }

    public void Apply(EspInitBlocked e)
    {
        if (Outstanding is { } outstanding && outstanding.Inside != e.Inside)
            outstanding.Collided = true;
        DropStaleWaiters(e.At);
        // A host that keeps asking is not stale: its patience counts from its latest blocked packet, not
        // its first. Keeping the first time let DropStaleWaiters forget a host still retrying every few
        // seconds, so the holder whose InitLifetime ran out took the next turn again (no round-robin).
        int at = _waiting.FindIndex(w => w.Inside == e.Inside);
        if (at < 0 && _waiting.Count < maxWaiting)
            _waiting.Add((e.Inside, e.At));
        else if (at >= 0)
            _waiting[at] = (e.Inside, e.At);
    }

    public void Apply(EspInitRetried e)
    {
        if (FindOutbound(e.Inside, e.OutboundSpi) is { } entry)
        {
            entry.RetriesSinceCollision++;
            entry.LastSeen = e.At;
        }
    }

    public void Apply(EspSpiAssociated e)
    {
        var entry = FindOutbound(e.Inside, e.OutboundSpi);
        if (entry is null)
        {
            entry = new EspEntry { Inside = e.Inside, OutboundSpi = e.OutboundSpi, Created = e.At, Announced = e.Announced };
            _byOutbound[(e.Inside, e.OutboundSpi)] = entry;
        }

        entry.InboundSpi = e.InboundSpi;
        entry.LastSeen = e.At;
        _byInbound[e.InboundSpi] = entry;
        if (ReferenceEquals(Outstanding, entry))
            Outstanding = null;
    }

    public void Apply(EspEntryRemoved e)
    {
        if (!_byOutbound.Remove((e.Inside, e.OutboundSpi), out var entry))
            return;
        if (entry.InboundSpi != 0 && _byInbound.TryGetValue(entry.InboundSpi, out var byIn) && ReferenceEquals(byIn, entry))
            _byInbound.Remove(entry.InboundSpi);
        if (ReferenceEquals(Outstanding, entry))
            Outstanding = null;
        if (e.Cause == RemovalCause.TurnEnded)
            TurnEndedHost = e.Inside;
        if (!_byOutbound.Values.Any(other => other.Inside == e.Inside))
            _lastRekey.Remove(e.Inside);
    }

    private void DropStaleWaiters(TimeSpan now) => _waiting.RemoveAll(w => now - w.Since > _patience);
}
