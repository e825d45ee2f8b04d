using VpnMasq.Protocols.Pptp;

namespace VpnMasq.Protocols.Tests.Pptp;

/// <summary>
/// RFC 2637 §2.1–§2.15 transcribed independently of <see cref="PptpMessageLayout"/>: each
/// message's total length and the byte offsets (from the start of the message, after the 12-byte
/// common header) of its own Call ID and of the Peer's Call ID; -1 where the message has none.
/// </summary>
internal static class Rfc2637
{
    public static readonly (PptpControlType Type, int Length, int CallId, int PeerCallId)[] Messages =
    [
        // §2.1 SCCRQ: version(2) reserved(2) framing(4) bearer(4) channels(2) firmware(2) host(64) vendor(64)
        (PptpControlType.StartControlConnectionRequest, 156, -1, -1),
        // §2.2 SCCRP: version(2) result(1) error(1) framing(4) bearer(4) channels(2) firmware(2) host(64) vendor(64)
        (PptpControlType.StartControlConnectionReply, 156, -1, -1),
        // §2.3 StopCCRQ: reason(1) reserved(1) reserved(2)
        (PptpControlType.StopControlConnectionRequest, 16, -1, -1),
        // §2.4 StopCCRP: result(1) error(1) reserved(2)
        (PptpControlType.StopControlConnectionReply, 16, -1, -1),
        // §2.5 ECRQ: identifier(4)
        (PptpControlType.EchoRequest, 16, -1, -1),
        // §2.6 ECRP: identifier(4) result(1) error(1) reserved(2)
        (PptpControlType.EchoReply, 20, -1, -1),
        // §2.7 OCRQ: call id(2) serial(2) min bps(4) max bps(4) bearer(4) framing(4) window(2) delay(2)
        //            phone length(2) reserved(2) phone(64) subaddress(64)
        (PptpControlType.OutgoingCallRequest, 168, 12, -1),
        // §2.8 OCRP: call id(2) peer's call id(2) result(1) error(1) cause(2) speed(4) window(2) delay(2) channel(4)
        (PptpControlType.OutgoingCallReply, 32, 12, 14),
        // §2.9 ICRQ: call id(2) serial(2) bearer(4) channel(4) dialed length(2) dialing length(2)
        //            dialed(64) dialing(64) subaddress(64)
        (PptpControlType.IncomingCallRequest, 220, 12, -1),
        // §2.10 ICRP: call id(2) peer's call id(2) result(1) error(1) window(2) delay(2) reserved(2)
        (PptpControlType.IncomingCallReply, 24, 12, 14),
        // §2.11 ICCN: peer's call id(2) reserved(2) speed(4) window(2) delay(2) framing(4)
        (PptpControlType.IncomingCallConnected, 28, -1, 12),
        // §2.12 CCRQ: call id(2) reserved(2) — the PNS's own Call ID
        (PptpControlType.CallClearRequest, 16, 12, -1),
        // §2.13 CDN: call id(2) result(1) error(1) cause(2) reserved(2) statistics(128) — the PAC's own Call ID
        (PptpControlType.CallDisconnectNotify, 148, 12, -1),
        // §2.14 WEN: peer's call id(2) reserved(2) six error counters(4 each)
        (PptpControlType.WanErrorNotify, 40, -1, 12),
        // §2.15 SLI: peer's call id(2) reserved(2) send ACCM(4) receive ACCM(4)
        (PptpControlType.SetLinkInfo, 24, -1, 12),
    ];

    public static TheoryData<PptpControlType, int, int, int> All()
    {
        var data = new TheoryData<PptpControlType, int, int, int>();
        foreach (var (type, length, callId, peerCallId) in Messages)
            data.Add(type, length, callId, peerCallId);
        return data;
    }

    /// <summary>A message built byte by byte: common header, zeros, and the given Call IDs at the RFC offsets.</summary>
    public static byte[] Message(PptpControlType type, int length, int callIdOffset, ushort callId, int peerCallIdOffset, ushort peerCallId)
    {
        var bytes = new byte[length];
        bytes[0] = (byte)(length >> 8);
        bytes[1] = (byte)length;
        bytes[3] = 1;                                   // PPTP message type: control
        bytes[4] = 0x1A; bytes[5] = 0x2B; bytes[6] = 0x3C; bytes[7] = 0x4D;   // magic cookie
        bytes[9] = (byte)type;
        if (callIdOffset >= 0)
        {
            bytes[callIdOffset] = (byte)(callId >> 8);
            bytes[callIdOffset + 1] = (byte)callId;
        }

        if (peerCallIdOffset >= 0)
        {
            bytes[peerCallIdOffset] = (byte)(peerCallId >> 8);
            bytes[peerCallIdOffset + 1] = (byte)peerCallId;
        }

        return bytes;
    }
}
