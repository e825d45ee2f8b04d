using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Serialization;
using System.Text;

namespace VpnMasq.Actors.Serialization;

/// <summary>
/// Reads what <see cref="PayloadWriter"/> wrote, checking every length first: a journal row or a remote
/// message may be truncated or corrupt, and that must surface as a <see cref="SerializationException"/>
/// naming the manifest and offset, never as an <see cref="IndexOutOfRangeException"/> from deep inside.
/// </summary>
internal sealed class PayloadReader(byte[] payload, string manifest)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private int _offset;

    /// <summary>The format version the payload was written with (its first byte).</summary>
    public byte Version { get; set; }

    /// <summary>This process's monotonic clock: a time left read from the payload becomes a deadline on it.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    private int Remaining => payload.Length - _offset;

    public byte Byte() => Take(1)[0];

    public bool Bool()
    {
        int at = _offset;
        return Byte() switch
        {
            0 => false,
            1 => true,
            var other => throw Corrupt($"{other} at offset {at} is not a bool"),
        };
    }

    public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(sizeof(ushort)));

    public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(sizeof(uint)));

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

    public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(sizeof(ulong)));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

    public TimeSpan Ticks() => TimeSpan.FromTicks(Int64());

    public T Enum<T>() where T : struct, System.Enum
    {
        int at = _offset;
        byte raw = Byte();
        var value = Unsafe.BitCast<byte, T>(raw);
        if (!System.Enum.IsDefined(value))
            throw Corrupt($"{raw} at offset {at} is not a {typeof(T).Name}");
        return value;
    }

    public byte[] Bytes() => Take(Length("byte array")).ToArray();

    public string String()
    {
        int at = _offset;
        var bytes = Take(Length("string"));
        try
        {
            return Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw Corrupt($"the string at offset {at} is not UTF-8 ({e.Message})");
        }
    }

    public T[] List<T>(Func<PayloadReader, T> read)
    {
        // Every element takes at least one byte, so a corrupt count cannot make us allocate more than the payload.
        int count = Length("list");
        var items = new T[count];
        for (int i = 0; i < count; i++)
            items[i] = read(this);
        return items;
    }

    public T[]? OptionalList<T>(Func<PayloadReader, T> read) => Bool() ? List(read) : null;

    /// <summary>The whole payload must have been read: trailing bytes mean a corrupt row or the wrong manifest.</summary>
    public void End()
    {
        if (Remaining != 0)
            throw Corrupt($"{Remaining} unexpected bytes after the payload ended at offset {_offset}");
    }

    public SerializationException Corrupt(string reason) =>
        new($"Cannot deserialize VpnMasq payload '{manifest}' ({payload.Length} bytes): {reason}.");

    /// <summary>A length or count prefix, checked against what is left.</summary>
    private int Length(string what)
    {
        int at = _offset;
        int length = Int32();
        if (length < 0 || length > Remaining)
            throw Corrupt($"{what} length {length} at offset {at} does not fit the {Remaining} bytes left");
        return length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
            throw Corrupt($"truncated: {count} bytes needed at offset {_offset}, {Remaining} left");
        var span = payload.AsSpan(_offset, count);
        _offset += count;
        return span;
    }
}
