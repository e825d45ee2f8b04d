using VpnMasq.Actors.Peers;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Link;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Actors.Serialization;

/// <summary>Layouts of the messages to and from a <see cref="PeerActor"/> (they cross nodes through the shard region).</summary>
internal static class PeerMessageFormats
{
    /// <summary>
    /// Version 2 of DecideFrame: version 1 plus the asking node's dissection after the frame, and the deadline as the
    /// time left when it is written (whether there is one, then the time left), no longer as the asker's UTC wall clock.
    /// </summary>
    public const byte DecideFrameVersion = 2;

    public static void Write(PayloadWriter w, DecideFrame m)
    {
        w.UInt32(m.Peer).Bytes(m.Frame);
        DissectionFormat.Write(w, m.Dissection);
        w.Enum(m.Direction).Ticks(m.At).Bool(m.AnswerBy is not null).Ticks(m.AnswerBy?.Left(w.Clock) ?? TimeSpan.Zero);
    }

    public static DecideFrame ReadDecideFrame(PayloadReader r)
    {
        uint peer = r.UInt32();
        var bytes = r.Bytes();

        // A version 1 sender (a node not yet upgraded) sent no dissection: it is taken here, once, on receipt.
        var d = r.Version >= 2 ? DissectionFormat.Read(r) : FrameDissector.Dissect(LinkType.Ethernet, bytes);
        var frame = new DecideFrame(peer, bytes, d, r.Enum<Direction>(), r.Ticks());
        if (r.Version < 2)
        {
            // Version 1 wrote the asker's UTC wall clock; what is left of it by this node's is all it can mean here.
            long answerBy = r.Int64();
            return answerBy == 0 ? frame : frame with { AnswerBy = Deadline.In(new DateTime(answerBy, DateTimeKind.Utc) - DateTime.UtcNow, r.Clock) };
        }

        // The time left on the asker's clock when it was written starts on this node's clock now, at receipt.
        bool hasDeadline = r.Bool();
        var left = r.Ticks();
        return hasDeadline ? frame with { AnswerBy = Deadline.In(left, r.Clock) } : frame;
    }

    public static void Write(PayloadWriter w, FrameDecided m)
    {
        var v = m.Verdict;
        w.Enum(v.Action).Enum(v.Reason).Enum(v.Protocol).UInt32(v.Peer).UInt32(v.Inside).Enum(v.Side).Bool(v.SendInput)
            .OptionalList(v.Extra, Write)
            .Bytes(m.Frame).String(m.Owner);
    }

    public static FrameDecided ReadFrameDecided(PayloadReader r)
    {
        var verdict = new Verdict(
            r.Enum<VerdictAction>(), r.Enum<DropReason>(), r.Enum<ProtocolLabel>(), r.UInt32(), r.UInt32(), r.Enum<Side>(), r.Bool(),
            r.OptionalList(ReadOutputFrame));
        return new FrameDecided(verdict, r.Bytes(), r.String());
    }

    public static void Write(PayloadWriter w, ReportActivity m) => w.UInt32(m.Peer).List(m.Flows, Write);

    public static ReportActivity ReadReportActivity(PayloadReader r) => new(r.UInt32(), r.List(ReadFlowSeen));

    public static void Write(PayloadWriter w, SweepPeer m) => w.UInt32(m.Peer).Ticks(m.Now);

    public static SweepPeer ReadSweepPeer(PayloadReader r) => new(r.UInt32(), r.Ticks());

    public static void Write(PayloadWriter w, GetPeerTable m) => w.UInt32(m.Peer);

    public static GetPeerTable ReadGetPeerTable(PayloadReader r) => new(r.UInt32());

    public static void Write(PayloadWriter w, PeerTable m)
    {
        PeerSnapshotFormat.Write(w, m.Table);
        w.String(m.Owner).Int64(m.LastSequenceNr);
    }

    public static PeerTable ReadPeerTable(PayloadReader r) => new(PeerSnapshotFormat.Read(r), r.String(), r.Int64());

    public static void Write(PayloadWriter w, AnnounceSa m) =>
        w.UInt32(m.Peer).UInt32(m.Inside).UInt32(m.OutboundSpi).UInt32(m.InboundSpi).Ticks(m.At);

    public static AnnounceSa ReadAnnounceSa(PayloadReader r) => new(r.UInt32(), r.UInt32(), r.UInt32(), r.UInt32(), r.Ticks());

    public static void Write(PayloadWriter w, AnnounceResult m) => w.Enum(m.Refusal);

    public static AnnounceResult ReadAnnounceResult(PayloadReader r) => new(r.Enum<DropReason>());

    public static void Write(PayloadWriter w, ClosePeer m) => w.UInt32(m.Peer).Ticks(m.At);

    public static ClosePeer ReadClosePeer(PayloadReader r) => new(r.UInt32(), r.Ticks());

    private static void Write(PayloadWriter w, OutputFrame f) => w.Bytes(f.Frame).Enum(f.Side);

    private static OutputFrame ReadOutputFrame(PayloadReader r) => new(r.Bytes(), r.Enum<Side>());

    private static void Write(PayloadWriter w, FlowSeen f)
    {
        FlowFormats.Write(w, f.Flow);
        w.Ticks(f.At);
    }

    private static FlowSeen ReadFlowSeen(PayloadReader r) => new(FlowFormats.ReadEstablishedFlow(r), r.Ticks());
}
