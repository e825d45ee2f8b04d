using System.Buffers.Binary;

namespace VpnMasq.Protocols.Tests.Captures;

/// <summary>Builds small pcap / pcapng files byte by byte, in either byte order, for reader tests.</summary>
internal sealed class FileBuilder(bool bigEndian)
{
    private readonly List<byte> _bytes = [];

    public FileBuilder U16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        if (bigEndian)
            BinaryPrimitives.WriteUInt16BigEndian(b, value);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        _bytes.AddRange(b);
        return this;
    }

    public FileBuilder U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        if (bigEndian)
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        _bytes.AddRange(b);
        return this;
    }

    /// <summary>A 32-bit word with no block framing, for hand-made broken blocks.</summary>
    public FileBuilder Raw(uint value) => U32(value);

    public FileBuilder Bytes(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>Zero bytes up to the next multiple of 4.</summary>
    public FileBuilder Pad()
    {
        while (_bytes.Count % 4 != 0)
            _bytes.Add(0);
        return this;
    }

    public FileBuilder Option(ushort code, byte[] value) => U16(code).U16((ushort)value.Length).Bytes(value).Pad();

    public FileBuilder EndOfOptions() => U16(0).U16(0);

    /// <summary>A pcapng Section Header Block (version 1.0, unknown section length) in this byte order.</summary>
    public FileBuilder SectionHeader() =>
        U32(0x0A0D0D0A).U32(28).U32(0x1A2B3C4D).U16(1).U16(0).U32(uint.MaxValue).U32(uint.MaxValue).U32(28);

    /// <summary>A pcapng block: type, total length, the body <paramref name="body"/> writes, total length.</summary>
    public FileBuilder Block(uint type, Action<FileBuilder> body)
    {
        var inner = new FileBuilder(bigEndian);
        body(inner);
        inner.Pad();
        uint total = (uint)inner._bytes.Count + 12;
        return U32(type).U32(total).Bytes([.. inner._bytes]).U32(total);
    }

    public byte[] Build() => [.. _bytes];
}
