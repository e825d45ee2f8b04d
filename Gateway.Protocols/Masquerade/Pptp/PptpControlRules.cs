using System.Buffers.Binary;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Peers;
using VpnMasq.Protocols.Masquerade.Ports;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Protocols.Masquerade.Pptp;

/// <summary>
/// PPTP: Call-ID masquerade in the TCP 1723 stream (DESIGN §3.4, §3.5). One principle covers clients and servers
/// behind the gateway alike: the inside party's own Call ID is masqueraded, the outside party's passes. Outbound
/// that is the sender's Call ID field, inbound the receiver's (Peer's Call ID) field.
/// </summary>
internal static class PptpControlRules
{
    /// <summary>
    /// Reads one TCP segment of a control connection, translating Call ID fields in place. Returns a
    /// drop reason when the segment cannot be passed (a malformed message, a gap in the stream).
    /// </summary>
    public static DropReason Read(PeerDecisionBuilder b, byte[] frame, in Dissection d, PortMapping mapping, Direction direction)
    {
        var key = (mapping.Inside, mapping.InsidePort, mapping.RemotePort);
        var connection = ReaderOf(b, key);
        b.Stream = new PptpStreamUpdate(key, connection);
        ref var live = ref direction == Direction.Outbound ? ref connection.Outbound : ref connection.Inbound;
        var datagram = frame.AsSpan(d.NetworkOffset, d.IpTotalLength);
        int segmentOffset = d.IpHeaderLength;
        int dataOffset = d.ApplicationOffset - d.NetworkOffset;
        var data = datagram[dataOffset..];
        uint sequence = BinaryPrimitives.ReadUInt32BigEndian(datagram[(segmentOffset + 4)..]);
        if ((d.TcpFlags & TcpFlags.Syn) != 0)
        {
            live = default;
            live.Synced = true;
            live.NextSequence = sequence + 1;
            return DropReason.None;
        }

        // RST and FIN end the connection and so its calls: they count only near the stream's position (within 64 KiB
        // either side of what was seen, RFC 5961 §3's spirit: a reset after a FIN sits one past it, a real client's
        // within its window), or anyone guessing the ports could end every call on it.
        if ((d.TcpFlags & (TcpFlags.Rst | TcpFlags.Fin)) != 0 && live.Synced && (uint)(live.NextSequence - sequence + 0x10000) >= 0x20000)
            return DropReason.PptpOutOfOrder;
        if (data.IsEmpty)
            return DropReason.None;
        if (!live.Synced)
        {
            // Picked up mid-stream (after a failover): resynchronise on a segment that starts a message.
            if (data.Length < 8 || BinaryPrimitives.ReadUInt32BigEndian(data[4..]) != PptpControlMessage.MagicCookie)
                return DropReason.None;
            live.Synced = true;
            live.NextSequence = sequence;
            live.StartMessage();
        }

        int ahead = (int)(sequence - live.NextSequence);
        if (ahead > 0)
            return DropReason.PptpOutOfOrder;

        // Bytes already read once (a retransmission) get the rewrites they got the first time.
        int already = Math.Min(-ahead, data.Length);
        for (int i = 0; i < already; i++)
        {
            if (connection.TryRecall(direction, sequence + (uint)i, out byte value) && data[i] != value)
                PacketRewriter.ReplaceTransportBytes(datagram, dataOffset - segmentOffset + i, [value]);
        }

        var reader = new StreamReader(b, mapping, direction, connection);
        var cursor = live;
        for (int i = already; i < data.Length; i++)
        {
            var drop = reader.ReadByte(ref cursor, datagram, dataOffset - segmentOffset + i, data[i], sequence + (uint)i);
            if (drop != DropReason.None)
                return drop;
        }

        cursor.NextSequence = sequence + (uint)data.Length;
        live = cursor;
        return DropReason.None;
    }

    /// <summary>
    /// A copy of the connection's reader to read this segment on. A connection whose mapping this decision removed
    /// (it expired and the segment opens a new one on the same ports) starts afresh, as the removal will leave it.
    /// </summary>
    private static PptpControlConnection ReaderOf(PeerDecisionBuilder b, (uint, ushort, ushort) key)
    {
        foreach (var gone in b.FreedPorts ?? [])
        {
            if (b.Peer.Ports.FindInbound(gone.Protocol, gone.PublicPort, gone.RemotePort) is { } m && (m.Inside, m.InsidePort, m.RemotePort) == key)
                return new PptpControlConnection();
        }

        return b.Peer.ControlConnection(key)?.Copy() ?? new PptpControlConnection();
    }

    /// <summary>The calls of a control connection end with it (closed, expired, evicted).</summary>
    public static void EndCalls(PeerDecisionBuilder b, PortMapping mapping, RemovalCause cause)
    {
        foreach (var call in b.Calls.OnConnection(mapping.Inside, mapping.InsidePort).ToList())
            b.Emit(new PptpCallUnmapped(b.Now, call.MasqueradedCallId, cause));
    }

    /// <summary>The message-by-message reading of one segment.</summary>
    private readonly struct StreamReader(PeerDecisionBuilder b, PortMapping mapping, Direction direction, PptpControlConnection connection)
    {
        /// <summary>Advances the reader over one stream byte; rewrites it when it is the low byte of an inside Call ID.</summary>
        public DropReason ReadByte(ref PptpStreamCursor cursor, Span<byte> datagram, int transportOffset, byte value, uint streamSequence)
        {
            int position = cursor.Position;
            if (position < PptpControlMessage.HeaderLength)
            {
                cursor.Header[position] = value;
                cursor.Position++;
                if (cursor.Position == PptpControlMessage.HeaderLength && !cursor.ValidateHeader())
                    return DropReason.Malformed;
                return DropReason.None;
            }

            var layout = cursor.Layout;
            bool outbound = direction == Direction.Outbound;
            bool callIdLow = layout.HasCallId && position == layout.CallIdOffset + 1;
            bool peerCallIdLow = layout.HasPeerCallId && position == layout.PeerCallIdOffset + 1;
            bool ownField = outbound ? callIdLow : peerCallIdLow;
            bool otherField = outbound ? peerCallIdLow : callIdLow;
            if ((layout.HasCallId && position == layout.CallIdOffset) || (layout.HasPeerCallId && position == layout.PeerCallIdOffset))
                cursor.FieldHigh = value;
            if (position == 16 && cursor.Type is PptpControlType.OutgoingCallReply or PptpControlType.IncomingCallReply)
                cursor.ResultCode = value;
            if (ownField)
            {
                ushort original = (ushort)((cursor.FieldHigh << 8) | value);
                if (!TryTranslateInsideCallId(original, cursor.Type, out ushort translated))
                    return DropReason.PptpCallIdExhausted;
                if (outbound)
                    cursor.CallIdValue = original;
                else
                    cursor.PeerCallIdValue = translated;
                byte low = (byte)translated;
                if (low != value)
                {
                    PacketRewriter.ReplaceTransportBytes(datagram, transportOffset, [low]);
                    connection.Remember(direction, streamSequence, low);
                }
            }
            else if (otherField)
            {
                ushort id = (ushort)((cursor.FieldHigh << 8) | value);
                if (outbound)
                    cursor.PeerCallIdValue = id;
                else
                    cursor.CallIdValue = id;
            }

            cursor.Position++;
            if (cursor.Position >= cursor.MessageLength)
            {
                FinishMessage(ref cursor);
                cursor.StartMessage();
            }

            return DropReason.None;
        }

        /// <summary>
        /// Outbound: the inside party's ID becomes the masqueraded one (mapping it if new); inbound: back again.
        /// False when a new call finds no free ID with its high byte: passing the ID unchanged would collide
        /// with the call that holds it, so the segment is dropped instead.
        /// </summary>
        private bool TryTranslateInsideCallId(ushort id, PptpControlType type, out ushort translated)
        {
            translated = id;
            if (direction == Direction.Inbound)
            {
                if (b.Calls.FindMasqueraded(id) is { } known && known.Inside == mapping.Inside)
                    translated = known.CallId;
                return true;
            }

            if (b.Calls.FindOriginal(mapping.Inside, id) is { } call)
            {
                translated = call.MasqueradedCallId;
                return true;
            }

            if (type is not (PptpControlType.OutgoingCallRequest or PptpControlType.IncomingCallRequest
                or PptpControlType.OutgoingCallReply or PptpControlType.IncomingCallReply))
                return true;
            translated = b.Calls.Choose(id);
            if (translated == 0)
                return false;
            b.Emit(new PptpCallMapped(b.Now, mapping.Inside, mapping.InsidePort, id, translated));
            return true;
        }

        /// <summary>Acts on a whole message: learn the peer's Call ID, drop calls that end.</summary>
        private void FinishMessage(ref PptpStreamCursor cursor)
        {
            var calls = b.Calls;
            switch (cursor.Type)
            {
                case PptpControlType.OutgoingCallReply or PptpControlType.IncomingCallReply when direction == Direction.Inbound:
                    if (calls.FindOriginal(mapping.Inside, cursor.PeerCallIdValue) is { } call)
                    {
                        if (cursor.ResultCode != 1)
                            b.Emit(new PptpCallUnmapped(b.Now, call.MasqueradedCallId, RemovalCause.Closed));
                        else if (!call.PeerCallIdKnown || call.PeerCallId != cursor.CallIdValue)
                            b.Emit(new PptpPeerCallIdLearned(b.Now, call.MasqueradedCallId, cursor.CallIdValue));
                    }

                    break;
                case PptpControlType.OutgoingCallRequest or PptpControlType.IncomingCallRequest when direction == Direction.Inbound:
                    break;
                case PptpControlType.OutgoingCallReply or PptpControlType.IncomingCallReply:
                    // An inside server answering: the peer's ID is in the Peer's Call ID field.
                    if (calls.FindOriginal(mapping.Inside, cursor.CallIdValue) is { } served
                        && (!served.PeerCallIdKnown || served.PeerCallId != cursor.PeerCallIdValue))
                        b.Emit(new PptpPeerCallIdLearned(b.Now, served.MasqueradedCallId, cursor.PeerCallIdValue));
                    break;
                case PptpControlType.CallDisconnectNotify:
                    var ended = direction == Direction.Outbound
                        ? calls.FindOriginal(mapping.Inside, cursor.CallIdValue)
                        : calls.FindByPeerCallId(mapping.Inside, mapping.InsidePort, cursor.CallIdValue);
                    if (ended is not null)
                        b.Emit(new PptpCallUnmapped(b.Now, ended.MasqueradedCallId, RemovalCause.Closed));
                    break;
                case PptpControlType.StopControlConnectionRequest or PptpControlType.StopControlConnectionReply:
                    EndCalls(b, mapping, RemovalCause.Closed);
                    break;
            }
        }
    }
}
