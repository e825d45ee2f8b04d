using System.Text.Json;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Masquerade;

namespace VpnMasq.Node.Replay;

/// <summary>Writes one JSON object per input frame (DESIGN §5.2): time, dir, proto, action, reason, peer, inside.</summary>
internal sealed class DecisionEventWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;

    public DecisionEventWriter(string path)
    {
        _stream = File.Create(path);
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { SkipValidation = true });
    }

    public void Write(double time, Direction direction, in Verdict verdict)
    {
        _json.WriteStartObject();
        _json.WriteNumber("time", Math.Round(time, 6));
        _json.WriteString("dir", direction == Direction.Outbound ? "out" : "in");
        _json.WriteString("proto", verdict.Protocol.Code());
        _json.WriteString("action", verdict.Action switch
        {
            VerdictAction.Forward => "forward",
            VerdictAction.Hold => "hold",
            _ => "drop",
        });
        if (verdict.Action == VerdictAction.Drop)
            _json.WriteString("reason", verdict.Reason.Code());
        if (verdict.Peer != 0)
            _json.WriteString("peer", Ipv4Address.Format(verdict.Peer));
        if (verdict.Inside != 0)
            _json.WriteString("inside", Ipv4Address.Format(verdict.Inside));
        if (verdict.FrameCount > 1)
            _json.WriteNumber("frames", verdict.FrameCount);
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _stream.WriteByte((byte)'\n');
    }

    public void Dispose()
    {
        _json.Dispose();
        _stream.Dispose();
    }
}
