using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace VpnMasq.Actors.Serialization;

/// <summary>
/// Appends little-endian fixed-width fields to a buffer rented from the shared pool. <see cref="ToArray"/>
/// copies the payload out once; <see cref="Dispose"/> returns the buffer. <see cref="PayloadReader"/> mirrors
/// every method here, so a type's writer and reader read as the same sentence.
/// </summary>
internal sealed class PayloadWriter : IDisposable
{
    private const int InitialSize = 256;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);

    /// <summary>This process's monotonic clock: a deadline on it is written as the time left.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    private int _length;

    public PayloadWriter Byte(byte value)
    {
        Take(1)[0] = value;
        return this;
    }

    public PayloadWriter Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public PayloadWriter UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(Take(sizeof(ushort)), value);
        return this;
    }

    public PayloadWriter UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Take(sizeof(uint)), value);
        return this;
    }

    public PayloadWriter Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(Take(sizeof(int)), value);
        return this;
    }

    public PayloadWriter UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Take(sizeof(ulong)), value);
        return this;
    }

    public PayloadWriter Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(Take(sizeof(long)), value);
        return this;
    }

    public PayloadWriter Ticks(TimeSpan value) => Int64(value.Ticks);

    /// <summary>Every enum we persist is byte-backed; anything wider fails here rather than truncating silently.</summary>
    public PayloadWriter Enum<T>(T value) where T : struct, System.Enum => Byte(Unsafe.BitCast<T, byte>(value));

    public PayloadWriter Bytes(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        value.CopyTo(Take(value.Length));
        return this;
    }

    public PayloadWriter String(string value)
    {
        int length = Utf8.GetByteCount(value);
        Int32(length);
        Utf8.GetBytes(value, Take(length));
        return this;
    }

    public PayloadWriter List<T>(IReadOnlyList<T> items, Action<PayloadWriter, T> write)
    {
        Int32(items.Count);
        for (int i = 0; i < items.Count; i++)
            write(this, items[i]);
        return this;
    }

    /// <summary>A presence flag, then the list: null and empty stay distinct.</summary>
    public PayloadWriter OptionalList<T>(IReadOnlyList<T>? items, Action<PayloadWriter, T> write) =>
        items is null ? Bool(false) : Bool(true).List(items, write);

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }

    private Span<byte> Take(int count)
    {
        if (_buffer.Length - _length < count)
            Grow(count);
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void Grow(int count)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
