using System.Buffers.Binary;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>One captured frame. <see cref="Index"/> counts from 0; tshark's frame.number is <see cref="FrameNumber"/>.</summary>
internal sealed record CaptureRecord(int Index, LinkType LinkType, double TimestampSeconds, byte[] Data)
{
    public int FrameNumber => Index + 1;
}

/// <summary>
/// Reads classic pcap (either byte order, micro- or nanosecond magic) and pcapng (SHB, IDB with
/// per-interface link type and if_tsresol/if_tsoffset, EPB, SPB; other blocks skipped; several
/// sections and interfaces). The file is untrusted: every length is checked, and a corrupt file
/// throws <see cref="InvalidDataException"/> saying where and why.
/// </summary>
internal static partial class CaptureFile
{
    private const uint PcapMicroMagic = 0xA1B2C3D4;
    private const uint PcapNanoMagic = 0xA1B23C4D;
    private const uint SectionHeaderBlock = 0x0A0D0D0A;
    private const int PcapHeaderLength = 24;
    private const int PcapRecordHeaderLength = 16;

    public static IReadOnlyList<CaptureRecord> Read(string path) => Parse(File.ReadAllBytes(path));

    public static IReadOnlyList<CaptureRecord> Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 4)
            throw Corrupt(0, $"file is {file.Length} bytes, too short for any capture magic");
        if (BinaryPrimitives.ReadUInt32LittleEndian(file) == SectionHeaderBlock)
            return PcapNg.Parse(file);
        return ParsePcap(file);
    }

    private static List<CaptureRecord> ParsePcap(ReadOnlySpan<byte> file)
    {
        uint magicLe = BinaryPrimitives.ReadUInt32LittleEndian(file);
        uint magicBe = BinaryPrimitives.ReadUInt32BigEndian(file);
        bool bigEndian = magicBe is PcapMicroMagic or PcapNanoMagic;
        if (!bigEndian && magicLe is not (PcapMicroMagic or PcapNanoMagic))
            throw Corrupt(0, $"unknown magic 0x{magicBe:X8}: neither pcap nor pcapng");
        bool nanoseconds = (bigEndian ? magicBe : magicLe) == PcapNanoMagic;
        if (file.Length < PcapHeaderLength)
            throw Corrupt(0, $"pcap global header needs {PcapHeaderLength} bytes, file has {file.Length}");
        var reader = new Endian(bigEndian);

        // The link type is the low 16 bits; the high bits may carry FCS information.
        var linkType = (LinkType)(reader.U32(file[20..]) & 0xFFFF);
        double tickSeconds = nanoseconds ? 1e-9 : 1e-6;
        var records = new List<CaptureRecord>();
        int offset = PcapHeaderLength;
        while (offset < file.Length)
        {
            if (file.Length - offset < PcapRecordHeaderLength)
                throw Corrupt(offset, $"record {records.Count} header is cut off ({file.Length - offset} of {PcapRecordHeaderLength} bytes)");
            var header = file[offset..];
            uint seconds = reader.U32(header);
            uint fraction = reader.U32(header[4..]);
            uint included = reader.U32(header[8..]);
            offset += PcapRecordHeaderLength;
            if (included > (uint)(file.Length - offset))
                throw Corrupt(offset, $"record {records.Count} claims {included} bytes but only {file.Length - offset} remain");
            records.Add(new CaptureRecord(records.Count, linkType, seconds + (fraction * tickSeconds),
                file.Slice(offset, (int)included).ToArray()));
            offset += (int)included;
        }

        return records;
    }

    private static InvalidDataException Corrupt(long offset, string why) =>
        new($"Corrupt capture at byte {offset}: {why}.");

    private readonly struct Endian(bool bigEndian)
    {
        public ushort U16(ReadOnlySpan<byte> b) =>
            bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

        public uint U32(ReadOnlySpan<byte> b) =>
            bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

        public long I64(ReadOnlySpan<byte> b) =>
            bigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b);
    }
}
