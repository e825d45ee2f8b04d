using System.Buffers.Binary;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Masquerade.Ports;
using VpnMasq.Protocols.Masquerade.Pptp;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Rewriting;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Protocols.Masquerade;

// PPTP: Call-ID masquerade in the TCP 1723 stream and GRE key translation (DESIGN §3.4, §3.5).
// One principle covers clients and servers behind the gateway alike: the inside party's own
// Call ID is masqueraded, the outside party's passes. Outbound that is the sender's Call ID
// field, inbound the receiver's (Peer's Call ID) field.
public sealed partial class PeerState
{
    private Verdict OutboundGre(byte[] frame, in Dissection d, TimeSpan now)
    {
        // Outbound GRE carries the peer's Call ID in its key: nothing to translate but the address.
        if (d.GreVersion == 1)
        {
            foreach (var call in Calls.Calls)
            {
                if (call.Inside == d.Source && call.PeerCallIdKnown && call.PeerCallId == d.GreCallId)
                    call.LastSeen = now;
            }
        }

        PacketRewriter.SetSourceAddress(Datagram(frame, d), PublicAddress);
        return Verdict.Send(ProtocolLabel.Gre, Remote, d.Source, Side.Outside);
    }

    private Verdict InboundGre(byte[] frame, in Dissection d, TimeSpan now)
    {
        var datagram = Datagram(frame, d);
        if (d.GreVersion == 1 && Calls.FindMasqueraded(d.GreCallId) is { } call)
        {
            call.LastSeen = now;
            if (call.CallId != d.GreCallId)
                PacketRewriter.SetGreCallId(datagram, call.CallId);
            PacketRewriter.SetDestinationAddress(datagram, call.Inside);
            return Verdict.Send(ProtocolLabel.Gre, Remote, call.Inside, Side.Inside);
        }

        if (_settings.FindProtocolForward(IpProtocol.Gre) is { } forward)
        {
            PacketRewriter.SetDestinationAddress(datagram, forward.TargetAddress);
            return Verdict.Send(ProtocolLabel.Gre, Remote, forward.TargetAddress, Side.Inside);
        }

        return Verdict.Drop(DropReason.NoMapping, ProtocolLabel.Gre, Remote);
    }

    /// <summary>
    /// Reads one TCP segment of a control connection, translating Call ID fields in place. Returns a
    /// drop reason when the segment cannot be passed (a malformed message, a gap in the stream).
    /// </summary>
    private DropReason ReadPptpControl(byte[] frame, in Dissection d, PortMapping mapping, Direction direction, TimeSpan now)
    {
        var key = (mapping.Inside, mapping.InsidePort, mapping.RemotePort);
        if (!_controlConnections.TryGetValue(key, out var connection))
            _controlConnections[key] = connection = new PptpControlConnection();
        ref var live = ref direction == Direction.Outbound ? ref connection.Outbound : ref connection.Inbound;
        var datagram = Datagram(frame, d);
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
                PacketRewriter.ReplaceTransportBytes(datagram[..], dataOffset - segmentOffset + i + 0, [value]);
        }

        var cursor = live;
        for (int i = already; i < data.Length; i++)
        {
            var drop = ReadStreamByte(ref cursor, datagram, dataOffset - segmentOffset + i, data[i], mapping, direction, now, connection, sequence + (uint)i);
            if (drop != DropReason.None)
                return drop;
        }

        cursor.NextSequence = sequence + (uint)data.Length;
        live = cursor;
        return DropReason.None;
    }

    /// <summary>Advances the reader over one stream byte; rewrites it when it is the low byte of an inside Call ID.</summary>
    private DropReason ReadStreamByte(
        ref PptpStreamCursor cursor, Span<byte> datagram, int transportOffset, byte value, PortMapping mapping,
        Direction direction, TimeSpan now, PptpControlConnection connection, uint streamSequence)
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
        bool ownField = direction == Direction.Outbound ? position == layout.CallIdOffset + 1 && layout.HasCallId
                                                        : position == layout.PeerCallIdOffset + 1 && layout.HasPeerCallId;
        bool otherField = direction == Direction.Outbound ? position == layout.PeerCallIdOffset + 1 && layout.HasPeerCallId
                                                          : position == layout.CallIdOffset + 1 && layout.HasCallId;
        if ((layout.HasCallId && position == layout.CallIdOffset) || (layout.HasPeerCallId && position == layout.PeerCallIdOffset))
            cursor.FieldHigh = value;
        if (position == 16 && cursor.Type is PptpControlType.OutgoingCallReply or PptpControlType.IncomingCallReply)
            cursor.ResultCode = value;
        if (ownField)
        {
            ushort original = (ushort)((cursor.FieldHigh << 8) | value);
            if (!TryTranslateInsideCallId(original, cursor.Type, mapping, direction, now, out ushort translated))
                return DropReason.PptpCallIdExhausted;
            if (direction == Direction.Outbound)
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
            if (direction == Direction.Outbound)
                cursor.PeerCallIdValue = id;
            else
                cursor.CallIdValue = id;
        }

        cursor.Position++;
        if (cursor.Position >= cursor.MessageLength)
        {
            FinishMessage(ref cursor, mapping, direction, now);
            cursor.StartMessage();
        }

        return DropReason.None;
    }

    /// <summary>
    /// Outbound: the inside party's ID becomes the masqueraded one (mapping it if new); inbound: back again.
    /// False when a new call finds no free ID with its high byte: passing the ID unchanged would collide
    /// with the call that holds it, so the segment is dropped instead.
    /// </summary>
    private bool TryTranslateInsideCallId(ushort id, PptpControlType type, PortMapping mapping, Direction direction, TimeSpan now, out ushort translated)
    {
        translated = id;
        if (direction == Direction.Inbound)
        {
            if (Calls.FindMasqueraded(id) is { } known && known.Inside == mapping.Inside)
                translated = known.CallId;
            return true;
        }

        if (Calls.FindOriginal(mapping.Inside, id) is { } call)
        {
            translated = call.MasqueradedCallId;
            return true;
        }

        if (type is not (PptpControlType.OutgoingCallRequest or PptpControlType.IncomingCallRequest
            or PptpControlType.OutgoingCallReply or PptpControlType.IncomingCallReply))
            return true;
        translated = Calls.Choose(id);
        if (translated == 0)
            return false;
        Emit(new PptpCallMapped(now, mapping.Inside, mapping.InsidePort, id, translated));
        return true;
    }

    /// <summary>Acts on a whole message: learn the peer's Call ID, drop calls that end.</summary>
    private void FinishMessage(ref PptpStreamCursor cursor, PortMapping mapping, Direction direction, TimeSpan now)
    {
        switch (cursor.Type)
        {
            case PptpControlType.OutgoingCallReply or PptpControlType.IncomingCallReply when direction == Direction.Inbound:
                if (Calls.FindOriginal(mapping.Inside, cursor.PeerCallIdValue) is { } call)
                {
                    if (cursor.ResultCode != 1)
                        Emit(new PptpCallUnmapped(now, call.MasqueradedCallId, RemovalCause.Closed));
                    else if (!call.PeerCallIdKnown || call.PeerCallId != cursor.CallIdValue)
                        Emit(new PptpPeerCallIdLearned(now, call.MasqueradedCallId, cursor.CallIdValue));
                }

                break;
            case PptpControlType.OutgoingCallRequest or PptpControlType.IncomingCallRequest when direction == Direction.Inbound:
                break;
            case PptpControlType.OutgoingCallReply or PptpControlType.IncomingCallReply:
                // An inside server answering: the peer's ID is in the Peer's Call ID field.
                if (Calls.FindOriginal(mapping.Inside, cursor.CallIdValue) is { } served
                    && (!served.PeerCallIdKnown || served.PeerCallId != cursor.PeerCallIdValue))
                    Emit(new PptpPeerCallIdLearned(now, served.MasqueradedCallId, cursor.PeerCallIdValue));
                break;
            case PptpControlType.CallDisconnectNotify:
                var ended = direction == Direction.Outbound
                    ? Calls.FindOriginal(mapping.Inside, cursor.CallIdValue)
                    : Calls.FindByPeerCallId(mapping.Inside, mapping.InsidePort, cursor.CallIdValue);
                if (ended is not null)
                    Emit(new PptpCallUnmapped(now, ended.MasqueradedCallId, RemovalCause.Closed));
                break;
            case PptpControlType.StopControlConnectionRequest or PptpControlType.StopControlConnectionReply:
                foreach (var stopped in Calls.OnConnection(mapping.Inside, mapping.InsidePort).ToList())
                    Emit(new PptpCallUnmapped(now, stopped.MasqueradedCallId, RemovalCause.Closed));
                break;
        }
    }
}
