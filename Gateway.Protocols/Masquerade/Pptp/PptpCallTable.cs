using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Snapshots;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Protocols.Masquerade.Pptp;

/// <summary>A PPTP call whose inside party's Call ID is masqueraded towards this peer (HOWTO §2.6).</summary>
public sealed class PptpCall : IFlowEntry
{
    public required uint Inside { get; init; }

    /// <summary>The inside end of the control connection the call belongs to.</summary>
    public required ushort InsidePort { get; init; }
    public required ushort CallId { get; init; }
    public required ushort MasqueradedCallId { get; init; }

    /// <summary>The peer's own Call ID, once its reply names it; 0 before.</summary>
    public ushort PeerCallId { get; internal set; }

    /// <summary>Whether the peer's reply named its Call ID yet: 0 is a valid ID (pptpd gives its first call 0).</summary>
    public bool PeerCallIdKnown { get; internal set; }
    public TimeSpan LastSeen { get; internal set; }

    public PptpCall Copy() => (PptpCall)MemberwiseClone();

    void IFlowEntry.Saw(TimeSpan at) => LastSeen = FlowTranslation.Later(LastSeen, at);
}

/// <summary>Call-ID masquerade state towards one peer: original &lt;-&gt; masqueraded, unique per peer.</summary>
public sealed class PptpCallTable
{
    private readonly Dictionary<(uint Inside, ushort CallId), PptpCall> _byOriginal = [];
    private readonly Dictionary<ushort, PptpCall> _byMasqueraded = [];

    public int Count => _byMasqueraded.Count;
    public IEnumerable<PptpCall> Calls => _byMasqueraded.Values;

    public PptpCall? FindOriginal(uint inside, ushort callId) => _byOriginal.GetValueOrDefault((inside, callId));

    public PptpCall? FindMasqueraded(ushort masqueradedCallId) => _byMasqueraded.GetValueOrDefault(masqueradedCallId);

    public PptpCall? FindByPeerCallId(uint inside, ushort insidePort, ushort peerCallId)
    {
        foreach (var call in _byMasqueraded.Values)
        {
            if (call.Inside == inside && call.InsidePort == insidePort && call.PeerCallIdKnown && call.PeerCallId == peerCallId)
                return call;
        }

        return null;
    }

    public IEnumerable<PptpCall> OnConnection(uint inside, ushort insidePort) =>
        _byMasqueraded.Values.Where(c => c.Inside == inside && c.InsidePort == insidePort);

    /// <summary>
    /// Chooses the masqueraded Call ID: the original when free, else one with the same high byte, so a
    /// Call ID field split across two TCP segments can still be translated (the high byte already left
    /// untouched in the first segment). 0 when every ID with that high byte is taken.
    /// </summary>
    public ushort Choose(ushort callId)
    {
        if (callId != 0 && !_byMasqueraded.ContainsKey(callId))
            return callId;
        int high = callId & 0xFF00;
        for (int low = 1; low < 256; low++)
        {
            ushort candidate = (ushort)(high | ((callId + low) & 0xFF));
            if (candidate != 0 && !_byMasqueraded.ContainsKey(candidate))
                return candidate;
        }

        // No fallback to another high byte: only the low byte is ever rewritten, so such an ID would
        // reach the server as (old high, new low) — possibly another client's call.
        return 0;
    }

    /// <summary>A copy a decision may change without touching this table (calls copied too).</summary>
    public PptpCallTable Clone()
    {
        var copy = new PptpCallTable();
        foreach (var call in _byMasqueraded.Values)
            copy.Restore(call.Copy());
        return copy;
    }

    /// <summary>Applies any PPTP call event.</summary>
    public void Apply(PeerEvent e)
    {
        switch (e)
        {
            case PptpCallMapped x: Apply(x); break;
            case PptpPeerCallIdLearned x: Apply(x); break;
            case PptpCallUnmapped x: Apply(x); break;
        }
    }

    public List<PptpRow> Rows() => Calls
        .Select(c => new PptpRow(c.Inside, c.InsidePort, c.CallId, c.MasqueradedCallId, c.PeerCallId, c.LastSeen, c.PeerCallIdKnown))
        .OrderBy(r => r.MasqueradedCallId).ToList();

    /// <summary>Puts back a snapshot's calls.</summary>
    public void Restore(IEnumerable<PptpRow> rows)
    {
        foreach (var r in rows)
        {
            Restore(new PptpCall
            {
                Inside = r.Inside, InsidePort = r.InsidePort, CallId = r.CallId, MasqueradedCallId = r.MasqueradedCallId,
                PeerCallId = r.PeerCallId, PeerCallIdKnown = r.PeerCallIdKnown, LastSeen = r.LastSeen,
            });
        }
    }

    /// <summary>Puts back a call from a snapshot.</summary>
    public void Restore(PptpCall call)
    {
        _byOriginal[(call.Inside, call.CallId)] = call;
        _byMasqueraded[call.MasqueradedCallId] = call;
    }

    public void Apply(PptpCallMapped e)
    {
        var call = new PptpCall
        {
            Inside = e.Inside, InsidePort = e.InsidePort, CallId = e.CallId, MasqueradedCallId = e.MasqueradedCallId, LastSeen = e.At,
        };
        _byOriginal[(e.Inside, e.CallId)] = call;
        _byMasqueraded[e.MasqueradedCallId] = call;
    }

    public void Apply(PptpPeerCallIdLearned e)
    {
        if (FindMasqueraded(e.MasqueradedCallId) is { } call)
        {
            call.PeerCallId = e.PeerCallId;
            call.PeerCallIdKnown = true;
        }
    }

    public void Apply(PptpCallUnmapped e)
    {
        if (_byMasqueraded.Remove(e.MasqueradedCallId, out var call))
            _byOriginal.Remove((call.Inside, call.CallId));
    }
}
