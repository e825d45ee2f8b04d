using System.Buffers.Binary;

namespace VpnMasq.Fuzz.Engine;

/// <summary>
/// How a gateway fuzz input holds several frames: records of [control byte][length, 2 bytes big-endian][frame].
/// A length beyond the input takes what is left, so any byte string is a valid input. The control byte's
/// bits 0–1 choose the direction (0 outbound, 1 inbound, 2 by source address as replay does, 3 the same after
/// a sweep), bit 2 fills in the checksums (a mutated frame is otherwise just a bad-checksum drop), bits 3–7
/// the clock step before the frame: 0, then 1 ms doubling up to about 12 days, across every lifetime.
/// </summary>
internal static class FrameRecords
{
    public const int MaxFrames = 48;
    public const byte ByDirectionOfSource = 2;
    public const byte FillChecksums = 4;

    public static IEnumerable<FrameRecord> Read(byte[] input)
    {
        int offset = 0;
        for (int count = 0; count < MaxFrames && offset < input.Length; count++)
        {
            byte control = input[offset];
            int length = input.Length - offset >= 3 ? BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(offset + 1)) : 0;
            int start = Math.Min(offset + 3, input.Length);
            length = Math.Min(length, input.Length - start);
            yield return new FrameRecord(control, input[start..(start + length)]);
            offset = start + length;
        }
    }

    public static byte[] Write(IEnumerable<FrameRecord> records)
    {
        var output = new MemoryStream();
        foreach (var record in records)
        {
            output.WriteByte(record.Control);
            output.WriteByte((byte)(record.Frame.Length >> 8));
            output.WriteByte((byte)record.Frame.Length);
            output.Write(record.Frame);
        }

        return output.ToArray();
    }
}

internal readonly record struct FrameRecord(byte Control, byte[] Frame)
{
    public int DirectionBits => Control & 3;
    public bool FillsChecksums => (Control & FrameRecords.FillChecksums) != 0;
    public TimeSpan Step => (Control >> 3) is var step and > 0 ? TimeSpan.FromMilliseconds(1L << (step - 1)) : TimeSpan.Zero;
}
