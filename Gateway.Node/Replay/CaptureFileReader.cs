using System.Buffers.Binary;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Node.Replay;

/// <summary>One frame read from a capture file; <see cref="Timestamp"/> is time since the Unix epoch.</summary>
internal readonly record struct CapturedFrame(LinkType LinkType, TimeSpan Timestamp, byte[] Data);

/// <summary>
/// Reads classic pcap (either byte order, micro- or nanosecond magic) and pcapng (SHB, IDB with per-interface
/// link type and if_tsresol/if_tsoffset, EPB, SPB; other blocks skipped; several sections and interfaces),
/// one frame at a time, so a capture of any size replays in constant memory. Not libpcap: libpcap refuses
/// pcapng files whose interfaces differ in snapshot length, which real multi-interface captures do.
/// The file is untrusted: every length is checked, and a corrupt file is an <see cref="InvalidDataException"/>
/// saying where and why.
/// </summary>
internal sealed class CaptureFileReader : IDisposable
{
    private const uint PcapMicroMagic = 0xA1B2C3D4;
    private const uint PcapNanoMagic = 0xA1B23C4D;
    private const uint SectionHeaderBlock = 0x0A0D0D0A;
    private const uint InterfaceDescriptionBlock = 1;
    private const uint SimplePacketBlock = 3;
    private const uint EnhancedPacketBlock = 6;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const int BlockOverhead = 12;

    /// <summary>Largest block or record accepted: far above any real frame, small enough that a corrupt length cannot exhaust memory.</summary>
    private const int MaxBlockLength = 16 * 1024 * 1024;

    private readonly Stream _stream;

    /// <summary>Bytes read to tell pcap from pcapng, handed out again before the stream's.</summary>
    private byte[]? _prefix;
    private readonly string _name;
    private readonly bool _pcapng;
    private readonly List<Interface> _interfaces = [];
    private bool _bigEndian;
    private long _offset;
    private long _frames;
    private TimeSpan _lastTimestamp;

    // Classic pcap: one link type and one resolution for the whole file.
    private LinkType _pcapLinkType;
    private long _pcapUnitsPerSecond;

    private readonly record struct Interface(LinkType LinkType, uint SnapLength, UInt128 UnitsPerSecond, bool BinaryResolution, long OffsetSeconds);

    public CaptureFileReader(string path)
        : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), path)
    {
    }

    /// <summary>Reads a capture from a stream it then owns; <paramref name="name"/> names it in errors.</summary>
    public CaptureFileReader(Stream stream, string name)
    {
        _name = name;
        // Read front to back only, never seeking: a pipe (--in <(zcat capture.pcap.gz)) works as well as a file.
        _stream = stream;
        var magic = new byte[4];
        int got = ReadAtMost(magic);
        if (got < magic.Length)
            throw Corrupt($"file is {got} bytes, too short for any capture magic");
        _pcapng = BinaryPrimitives.ReadUInt32LittleEndian(magic) == SectionHeaderBlock;
        _prefix = magic;
        _offset = 0;
        if (!_pcapng)
            ReadPcapHeader();
    }

    /// <summary>Reads the next frame; false at the end of the file.</summary>
    public bool TryRead(out CapturedFrame frame)
    {
        frame = default;
        bool read = _pcapng ? TryReadBlock(out frame) : TryReadRecord(out frame);
        if (read)
        {
            _frames++;
            _lastTimestamp = frame.Timestamp;
        }

        return read;
    }

    private void ReadPcapHeader()
    {
        Span<byte> header = stackalloc byte[24];
        if (!ReadExactly(header))
            throw Corrupt($"pcap global header needs 24 bytes, the file ends at {_offset}");
        uint magicLe = BinaryPrimitives.ReadUInt32LittleEndian(header);
        uint magicBe = BinaryPrimitives.ReadUInt32BigEndian(header);
        _bigEndian = magicBe is PcapMicroMagic or PcapNanoMagic;
        if (!_bigEndian && magicLe is not (PcapMicroMagic or PcapNanoMagic))
            throw Corrupt($"unknown magic 0x{magicBe:X8}: neither pcap nor pcapng");
        _pcapUnitsPerSecond = (_bigEndian ? magicBe : magicLe) == PcapNanoMagic ? 1_000_000_000 : 1_000_000;

        // The link type is the low 16 bits; the high bits may carry FCS information.
        _pcapLinkType = (LinkType)(U32(header[20..]) & 0xFFFF);
    }

    private bool TryReadRecord(out CapturedFrame frame)
    {
        frame = default;
        Span<byte> header = stackalloc byte[16];
        int got = ReadAtMost(header);
        if (got == 0)
            return false;
        if (got < header.Length)
            throw Corrupt($"record {_frames} header is cut off ({got} of 16 bytes)");
        uint seconds = U32(header);
        uint fraction = U32(header[4..]);
        uint included = U32(header[8..]);
        if (included > MaxBlockLength)
            throw Corrupt($"record {_frames} claims {included} bytes");
        var data = new byte[included];
        if (!ReadExactly(data))
            throw Corrupt($"record {_frames} claims {included} bytes but the file ends first");
        var timestamp = TimeSpan.FromTicks(seconds * TimeSpan.TicksPerSecond + fraction * TimeSpan.TicksPerSecond / _pcapUnitsPerSecond);
        frame = new CapturedFrame(_pcapLinkType, timestamp, data);
        return true;
    }

    private bool TryReadBlock(out CapturedFrame frame)
    {
        frame = default;
        Span<byte> head = stackalloc byte[8];
        Span<byte> magic = stackalloc byte[4];
        while (true)
        {
            long start = _offset;
            int got = ReadAtMost(head);
            if (got == 0)
                return false;
            if (got < head.Length)
                throw Corrupt($"block header is cut off ({got} bytes left)", start);
            bool section = BinaryPrimitives.ReadUInt32LittleEndian(head) == SectionHeaderBlock;
            if (section)
            {
                // A new section may change byte order and starts a fresh interface list.
                if (!ReadExactly(magic))
                    throw Corrupt("Section Header Block is cut off before its byte-order magic", start);
                _bigEndian = BinaryPrimitives.ReadUInt32LittleEndian(magic) != ByteOrderMagic;
                if (_bigEndian && BinaryPrimitives.ReadUInt32BigEndian(magic) != ByteOrderMagic)
                    throw Corrupt($"Section Header Block byte-order magic is 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8}", start + 8);
                _interfaces.Clear();
            }

            uint type = U32(head);
            uint totalLength = U32(head[4..]);
            if (totalLength < BlockOverhead + (section ? 4u : 0u) || totalLength % 4 != 0 || totalLength > MaxBlockLength)
                throw Corrupt($"block type 0x{type:X} has length {totalLength}, must be >= {BlockOverhead}, a multiple of 4 and at most {MaxBlockLength}", start);
            var block = new byte[totalLength - 8 - (section ? 4 : 0)];
            if (!ReadExactly(block))
                throw Corrupt($"block type 0x{type:X} of {totalLength} bytes is cut off by the end of the file", start);
            uint trailingLength = U32(block.AsSpan(block.Length - 4));
            if (trailingLength != totalLength)
                throw Corrupt($"block type 0x{type:X} trailing length {trailingLength} differs from leading length {totalLength}", start);
            var body = block.AsSpan(0, block.Length - 4);
            switch (type)
            {
                case InterfaceDescriptionBlock:
                    _interfaces.Add(ReadInterface(body, start));
                    break;
                case EnhancedPacketBlock:
                    frame = ReadEnhancedPacket(body, start);
                    return true;
                case SimplePacketBlock:
                    frame = ReadSimplePacket(body, start);
                    return true;
            }
        }
    }

    private Interface ReadInterface(ReadOnlySpan<byte> body, long start)
    {
        if (body.Length < 8)
            throw Corrupt($"Interface Description Block body is {body.Length} bytes, needs 8", start);
        var linkType = (LinkType)U16(body);
        uint snapLength = U32(body[4..]);
        UInt128 unitsPerSecond = 1_000_000;
        bool binary = false;
        long offsetSeconds = 0;
        var options = body[8..];
        while (options.Length >= 4)
        {
            ushort code = U16(options);
            int length = U16(options[2..]);
            if (code == 0)
                break;
            int padded = (length + 3) & ~3;
            if (options.Length - 4 < padded)
                throw Corrupt($"IDB option {code} declares {length} bytes, only {options.Length - 4} remain", start);
            var value = options.Slice(4, length);
            if (code == 9 && length >= 1) // if_tsresol: 10^-n, or 2^-n with the top bit set
            {
                int exponent = value[0] & 0x7F;
                binary = (value[0] & 0x80) != 0;
                if (exponent > (binary ? 63 : 19))
                    throw Corrupt($"if_tsresol exponent {exponent} is out of range", start);
                unitsPerSecond = binary ? UInt128.One << exponent : (UInt128)Math.Pow(10, exponent);
            }
            else if (code == 14 && length >= 8) // if_tsoffset: seconds added to every timestamp
            {
                offsetSeconds = _bigEndian ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value);
            }

            options = options[(4 + padded)..];
        }

        return new Interface(linkType, snapLength, unitsPerSecond, binary, offsetSeconds);
    }

    private CapturedFrame ReadEnhancedPacket(ReadOnlySpan<byte> body, long start)
    {
        if (body.Length < 20)
            throw Corrupt($"Enhanced Packet Block body is {body.Length} bytes, needs 20", start);
        uint interfaceId = U32(body);
        if (interfaceId >= (uint)_interfaces.Count)
            throw Corrupt($"Enhanced Packet Block names interface {interfaceId}, but the section declares {_interfaces.Count}", start);
        var nic = _interfaces[(int)interfaceId];
        UInt128 units = ((UInt128)U32(body[4..]) << 32) | U32(body[8..]);
        uint captured = U32(body[12..]);
        if (captured > (uint)(body.Length - 20))
            throw Corrupt($"Enhanced Packet Block captured length {captured} exceeds its {body.Length - 20} data bytes", start);
        long ticks;
        try
        {
            ticks = checked((long)(units * (UInt128)TimeSpan.TicksPerSecond / nic.UnitsPerSecond) + nic.OffsetSeconds * TimeSpan.TicksPerSecond);
        }
        catch (OverflowException)
        {
            throw Corrupt($"Enhanced Packet Block timestamp {units} (if_tsoffset {nic.OffsetSeconds} s) is beyond any date", start);
        }

        return new CapturedFrame(nic.LinkType, TimeSpan.FromTicks(ticks), body.Slice(20, (int)captured).ToArray());
    }

    private CapturedFrame ReadSimplePacket(ReadOnlySpan<byte> body, long start)
    {
        if (_interfaces.Count == 0)
            throw Corrupt("Simple Packet Block before any Interface Description Block", start);
        if (body.Length < 4)
            throw Corrupt($"Simple Packet Block body is {body.Length} bytes, needs 4", start);

        // No captured-length field: the data is the original length cut to the snap length (0 = unlimited).
        // No timestamp either: the frame keeps the clock where the previous one left it.
        var nic = _interfaces[0];
        uint captured = U32(body);
        if (nic.SnapLength != 0)
            captured = Math.Min(captured, nic.SnapLength);
        if (captured > (uint)(body.Length - 4))
            throw Corrupt($"Simple Packet Block holds {body.Length - 4} data bytes, fewer than the {captured} it implies", start);
        return new CapturedFrame(nic.LinkType, _lastTimestamp, body.Slice(4, (int)captured).ToArray());
    }

    private bool ReadExactly(Span<byte> buffer) => ReadAtMost(buffer) == buffer.Length;

    private int ReadAtMost(Span<byte> buffer)
    {
        int total = 0;
        if (_prefix is { } prefix)
        {
            int n = Math.Min(prefix.Length, buffer.Length);
            prefix.AsSpan(0, n).CopyTo(buffer);
            _prefix = n == prefix.Length ? null : prefix[n..];
            total = n;
        }

        while (total < buffer.Length)
        {
            int n = _stream.Read(buffer[total..]);
            if (n == 0)
                break;
            total += n;
        }

        _offset += total;
        return total;
    }

    private ushort U16(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private uint U32(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private InvalidDataException Corrupt(string why, long? at = null) =>
        new($"{_name}: corrupt capture at byte {at ?? _offset}: {why}");

    public void Dispose() => _stream.Dispose();
}
