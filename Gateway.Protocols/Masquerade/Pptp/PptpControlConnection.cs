namespace VpnMasq.Protocols.Masquerade.Pptp;

/// <summary>
/// Transient reading state of one PPTP control connection (not journaled: after a failover the
/// reader resynchronises on the next segment that starts with a message header).
/// </summary>
internal sealed class PptpControlConnection
{
    private const int HistorySize = 32;
    private readonly (bool Used, Direction Direction, uint Sequence, byte Value)[] _rewrites = new (bool, Direction, uint, byte)[HistorySize];
    private int _next;

    public PptpStreamCursor Outbound;
    public PptpStreamCursor Inbound;

    /// <summary>A copy a decision reads its segment on; the peer keeps it once the decision is applied.</summary>
    public PptpControlConnection Copy()
    {
        var copy = new PptpControlConnection { Outbound = Outbound, Inbound = Inbound, _next = _next };
        _rewrites.CopyTo(copy._rewrites, 0);
        return copy;
    }

    /// <summary>Remembers a rewritten stream byte, so a retransmission of it is rewritten the same way.</summary>
    public void Remember(Direction direction, uint sequence, byte value)
    {
        _rewrites[_next] = (true, direction, sequence, value);
        _next = (_next + 1) % HistorySize;
    }

    public bool TryRecall(Direction direction, uint sequence, out byte value)
    {
        for (int i = 0; i < HistorySize; i++)
        {
            var (used, dir, seq, v) = _rewrites[i];
            if (used && dir == direction && seq == sequence)
            {
                value = v;
                return true;
            }
        }

        value = 0;
        return false;
    }
}
