using VpnMasq.Fuzz.Engine;
using VpnMasq.Fuzz.Seeds;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Masquerade;
using VpnMasq.Protocols.Masquerade.Events;
using VpnMasq.Protocols.Pptp;
using VpnMasq.Protocols.Tcp;

namespace VpnMasq.Fuzz.Targets;

/// <summary>
/// The PPTP control-stream reader (PeerState's Call-ID masquerade over TCP 1723), reached the way traffic
/// reaches it: through SingleProcessGateway.Process on open control connections — two inside clients of one
/// server and one inside server behind the 1723 forward. The input is the stream and how it is cut:
/// records of [control byte][length byte][data]. Control bit 0: sent by the remote party rather than the
/// inside one; bits 1–2: which connection; bits 3–4: in order, a retransmission, a gap, or a partial repeat;
/// bits 5–6: PSH+ACK, ACK, FIN+ACK or SYN; bit 7: a minute passes before it rather than 10 ms.
/// </summary>
internal static class PptpStreamTarget
{
    public static FuzzTarget Target { get; } = new("pptp-stream", Run, _ => null)
    {
        SeedsOfCapture = Seeds,
    };

    private static void Run(ReadOnlySpan<byte> input)
    {
        var (gateway, now) = FuzzGateway.Create();
        ControlConnection[] connections =
        [
            ControlConnection.ToServer(gateway, FuzzGateway.InsideA, 1050, FuzzGateway.Server, now),
            ControlConnection.ToServer(gateway, FuzzGateway.InsideB, 1051, FuzzGateway.Server, now),
            ControlConnection.FromClient(gateway, FuzzGateway.InsideB, FuzzGateway.Client, 2000, now),
        ];
        var events = new List<PeerEvent>();
        int offset = 0;
        while (offset < input.Length)
        {
            byte control = input[offset];
            int length = offset + 1 < input.Length ? input[offset + 1] : 0;
            int start = Math.Min(offset + 2, input.Length);
            var data = input.Slice(start, Math.Min(length, input.Length - start));
            offset = start + data.Length;

            now += (control & 0x80) != 0 ? TimeSpan.FromMinutes(1) : TimeSpan.FromMilliseconds(10);
            var connection = connections[(control >> 1 & 3) % connections.Length];
            int shift = (control >> 3 & 3) switch
            {
                0 => 0,
                1 => -data.Length,
                2 => 1 + data.Length,
                _ => -(data.Length / 2),
            };
            var flags = (control >> 5 & 3) switch
            {
                0 => TcpFlags.Psh | TcpFlags.Ack,
                1 => TcpFlags.Ack,
                2 => TcpFlags.Fin | TcpFlags.Ack,
                _ => TcpFlags.Syn,
            };
            var verdict = connection.Send((control & 1) == 0, data, shift, flags, now, events);
            if (verdict.Action == VerdictAction.Drop && verdict.Reason == DropReason.None)
                throw new InvalidOperationException("a drop without a reason");
        }
    }

    /// <summary>
    /// A capture's PPTP control stream, in order, cut as it was captured: once as an inside client's (the
    /// first connection), once as the inside server's (the third).
    /// </summary>
    private static IEnumerable<byte[]> Seeds(SeedCapture capture)
    {
        var segments = capture.Frames
            .Where(f => f.Dissection.Kind == FrameKind.Tcp && f.Application is { Length: > 0 })
            .Where(f => f.Dissection.SourcePort == PptpControlMessage.TcpPort || f.Dissection.DestinationPort == PptpControlMessage.TcpPort)
            .Select(f => (FromClient: f.Dissection.DestinationPort == PptpControlMessage.TcpPort, Data: f.Application!))
            .ToList();
        if (segments.Count == 0)
            yield break;
        yield return Records(segments, fromClient => fromClient ? 0 : 1);
        yield return Records(segments, fromClient => fromClient ? 1 | 2 << 1 : 2 << 1);
    }

    private static byte[] Records(List<(bool FromClient, byte[] Data)> segments, Func<bool, int> control)
    {
        var output = new MemoryStream();
        foreach (var (fromClient, data) in segments)
        {
            foreach (var chunk in data.Chunk(byte.MaxValue))
            {
                output.WriteByte((byte)control(fromClient));
                output.WriteByte((byte)chunk.Length);
                output.Write(chunk);
            }
        }

        return output.ToArray();
    }
}
