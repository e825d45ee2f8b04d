namespace VpnMasq.Protocols.Pptp;

/// <summary>
/// Where each control message keeps its Call IDs (RFC 2637 §2.1–§2.15). <c>CallIdOffset</c> is the
/// sender's own Call ID; <c>PeerCallIdOffset</c> is the receiver's Call ID as the sender knows it.
/// </summary>
internal readonly record struct PptpMessageLayout(ushort Length, sbyte CallIdOffset, sbyte PeerCallIdOffset)
{
    public const sbyte None = -1;

    public bool HasCallId => CallIdOffset != None;
    public bool HasPeerCallId => PeerCallIdOffset != None;

    // Indexed by control message type; entry 0 is unused.
    private static readonly PptpMessageLayout[] Layouts =
    [
        default,
        new(156, None, None), // 1 Start-Control-Connection-Request
        new(156, None, None), // 2 Start-Control-Connection-Reply
        new(16, None, None),  // 3 Stop-Control-Connection-Request
        new(16, None, None),  // 4 Stop-Control-Connection-Reply
        new(16, None, None),  // 5 Echo-Request
        new(20, None, None),  // 6 Echo-Reply
        new(168, 12, None),   // 7 Outgoing-Call-Request: Call ID
        new(32, 12, 14),      // 8 Outgoing-Call-Reply: Call ID, Peer's Call ID
        new(220, 12, None),   // 9 Incoming-Call-Request: Call ID
        new(24, 12, 14),      // 10 Incoming-Call-Reply: Call ID, Peer's Call ID
        new(28, None, 12),    // 11 Incoming-Call-Connected: Peer's Call ID
        new(16, 12, None),    // 12 Call-Clear-Request: Call ID
        new(148, 12, None),   // 13 Call-Disconnect-Notify: Call ID
        new(40, None, 12),    // 14 WAN-Error-Notify: Peer's Call ID
        new(24, None, 12),    // 15 Set-Link-Info: Peer's Call ID
    ];

    public static bool TryGet(ushort controlType, out PptpMessageLayout layout)
    {
        if (controlType is 0 or > 15)
        {
            layout = default;
            return false;
        }

        layout = Layouts[controlType];
        return true;
    }
}
