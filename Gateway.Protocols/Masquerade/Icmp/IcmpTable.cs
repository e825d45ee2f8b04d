using VpnMasq.Protocols.Masquerade.Flows;
using VpnMasq.Protocols.Masquerade.Snapshots;
using VpnMasq.Protocols.Masquerade.Events;

namespace VpnMasq.Protocols.Masquerade.Icmp;

/// <summary>ICMP query mappings towards one peer: inside host + identifier &lt;-&gt; public identifier.</summary>
public sealed class IcmpTable
{
    private readonly Dictionary<(uint Inside, ushort Id), IcmpMapping> _outbound = [];
    private readonly Dictionary<ushort, IcmpMapping> _inbound = [];
    /// <summary>Where the next search for a free identifier starts; set by the event, so a replayed journal continues it.</summary>
    public ushort Cursor { get; set; }

    public int Count => _inbound.Count;
    public IEnumerable<IcmpMapping> Mappings => _inbound.Values;

    public IcmpMapping? FindOutbound(uint inside, ushort id) => _outbound.GetValueOrDefault((inside, id));

    public IcmpMapping? FindInbound(ushort publicId) => _inbound.GetValueOrDefault(publicId);

    /// <summary>
    /// The inside identifier when free, else the next free one; null when all 65536 are used. <paramref name="freed"/>
    /// are identifiers the decision in progress released: they count as free.
    /// </summary>
    public ushort? ChoosePublicId(ushort insideId, IReadOnlyList<ushort>? freed = null)
    {
        if (IsFree(insideId, freed))
            return insideId;
        for (int i = 0; i < 65536; i++)
        {
            ushort candidate = (ushort)(Cursor + i);
            if (IsFree(candidate, freed))
                return candidate;
        }

        return null;
    }

    private bool IsFree(ushort id, IReadOnlyList<ushort>? freed) => !_inbound.ContainsKey(id) || (freed is not null && freed.Contains(id));

    /// <summary>The mapping an event creates: what the table holds once it is applied, and what the deciding rule goes on with.</summary>
    public static IcmpMapping Create(IcmpMapped e) => new(e.Inside, e.InsideId, e.PublicId) { LastSeen = e.At };

    public List<IcmpRow> Rows() => Mappings.Select(m => new IcmpRow(m.Inside, m.InsideId, m.PublicId, m.LastSeen)).OrderBy(r => r.PublicId).ToList();

    /// <summary>Puts back a snapshot's mappings and search cursor.</summary>
    public void Restore(IEnumerable<IcmpRow> rows, ushort cursor)
    {
        Cursor = cursor;
        foreach (var r in rows)
            Restore(new IcmpMapping(r.Inside, r.InsideId, r.PublicId) { LastSeen = r.LastSeen });
    }

    /// <summary>Puts back a mapping from a snapshot.</summary>
    public void Restore(IcmpMapping mapping)
    {
        _outbound[(mapping.Inside, mapping.InsideId)] = mapping;
        _inbound[mapping.PublicId] = mapping;
    }

    public void Apply(IcmpMapped e)
    {
        if (e.PublicId != e.InsideId)
            Cursor = (ushort)(e.PublicId + 1);
        var mapping = Create(e);
        _outbound[(e.Inside, e.InsideId)] = mapping;
        _inbound[e.PublicId] = mapping;
    }

    public void Apply(IcmpUnmapped e)
    {
        if (_inbound.Remove(e.PublicId, out var mapping))
            _outbound.Remove((mapping.Inside, mapping.InsideId));
    }
}

public sealed record IcmpMapping(uint Inside, ushort InsideId, ushort PublicId) : IFlowEntry
{
    public TimeSpan LastSeen { get; internal set; }

    void IFlowEntry.Saw(TimeSpan at) => LastSeen = FlowTranslation.Later(LastSeen, at);
}
