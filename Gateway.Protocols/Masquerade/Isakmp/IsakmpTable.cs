using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Snapshots;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Protocols.Masquerade.Isakmp;

/// <summary>One ISAKMP/IKE exchange between an inside host and this peer, keyed by its cookies.</summary>
public sealed class IsakmpExchange : IFlowEntry
{
    public required uint Inside { get; init; }
    public required ulong InitiatorCookie { get; init; }
    public ulong ResponderCookie { get; internal set; }
    public required TimeSpan Started { get; init; }
    public TimeSpan LastSeen { get; internal set; }

    /// <summary>True until the peer's first reply names the responder cookie.</summary>
    public bool AwaitingReply => ResponderCookie == 0;

    void IFlowEntry.Saw(TimeSpan at) => LastSeen = FlowTranslation.Later(LastSeen, at);
}

/// <summary>The ISAKMP exchanges with one peer on UDP 500 (DESIGN §3.2).</summary>
public sealed class IsakmpTable
{
    private readonly Dictionary<ulong, List<IsakmpExchange>> _byInitiatorCookie = [];

    public int Count { get; private set; }

    /// <summary>The inside host that most recently spoke ISAKMP with this peer; 0 if none.</summary>
    public uint LatestSpeaker { get; private set; }

    public IEnumerable<IsakmpExchange> Exchanges => _byInitiatorCookie.Values.SelectMany(list => list);

    public IReadOnlyList<IsakmpExchange> WithInitiatorCookie(ulong cookie) =>
        _byInitiatorCookie.TryGetValue(cookie, out var list) ? list : [];

    public IsakmpExchange? Find(uint inside, ulong initiatorCookie)
    {
        if (!_byInitiatorCookie.TryGetValue(initiatorCookie, out var list))
            return null;
        foreach (var exchange in list)
        {
            if (exchange.Inside == inside)
                return exchange;
        }

        return null;
    }

    /// <summary>
    /// The exchanges as snapshot rows. Exchanges sharing an initiator cookie keep their table order (a stable sort): a reply
    /// naming no known responder cookie goes to the last one awaiting it, so that order is part of the table.
    /// </summary>
    public List<IsakmpRow> Rows() => Exchanges
        .Select(x => new IsakmpRow(x.Inside, x.InitiatorCookie, x.ResponderCookie, x.Started, x.LastSeen))
        .OrderBy(r => r.InitiatorCookie).ToList();

    /// <summary>Puts back a snapshot's exchanges and latest speaker.</summary>
    public void Restore(IEnumerable<IsakmpRow> rows, uint latestSpeaker)
    {
        foreach (var r in rows)
        {
            Restore(new IsakmpExchange
            {
                Inside = r.Inside, InitiatorCookie = r.InitiatorCookie, ResponderCookie = r.ResponderCookie,
                Started = r.Started, LastSeen = r.LastSeen,
            });
        }

        LatestSpeaker = latestSpeaker;
    }

    private void Restore(IsakmpExchange exchange)
    {
        if (!_byInitiatorCookie.TryGetValue(exchange.InitiatorCookie, out var list))
            _byInitiatorCookie[exchange.InitiatorCookie] = list = new List<IsakmpExchange>(1);
        list.Add(exchange);
        Count++;
    }

    public void Apply(IsakmpExchangeStarted e)
    {
        if (!_byInitiatorCookie.TryGetValue(e.InitiatorCookie, out var list))
            _byInitiatorCookie[e.InitiatorCookie] = list = new List<IsakmpExchange>(1);
        list.Add(new IsakmpExchange { Inside = e.Inside, InitiatorCookie = e.InitiatorCookie, Started = e.At, LastSeen = e.At });
        Count++;
    }

    public void Apply(IsakmpResponderLearned e)
    {
        foreach (var exchange in WithInitiatorCookie(e.InitiatorCookie))
        {
            if (exchange.AwaitingReply)
            {
                exchange.ResponderCookie = e.ResponderCookie;
                exchange.LastSeen = e.At;
                return;
            }
        }
    }

    public void Apply(IsakmpSpeakerChanged e) => LatestSpeaker = e.Inside;

    /// <summary>Removes the host's exchange with this initiator cookie, or every one when no host is named.</summary>
    public void Apply(IsakmpExchangeRemoved e)
    {
        if (!_byInitiatorCookie.TryGetValue(e.InitiatorCookie, out var list))
            return;
        int removed = e.Inside == 0 ? list.Count : list.RemoveAll(x => x.Inside == e.Inside);
        Count -= removed;
        if (e.Inside == 0 || list.Count == 0)
            _byInitiatorCookie.Remove(e.InitiatorCookie);
    }
}
