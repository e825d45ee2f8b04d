namespace VpnMasq.Protocols.Masquerade.Events;

/// <summary>
/// A change to one remote peer's masquerade state. Events hold only primitives so they can be
/// persisted and sent between nodes; applying them in order to a fresh <see cref="PeerState"/>
/// rebuilds the same table. <see cref="At"/> is the frame time that caused the change.
/// </summary>
public abstract record PeerEvent(TimeSpan At);

/// <summary>Why an entry left the table.</summary>
public enum RemovalCause : byte
{
    Expired,
    Closed,
    Evicted,
    TurnEnded,
    AddressChanged,
}
