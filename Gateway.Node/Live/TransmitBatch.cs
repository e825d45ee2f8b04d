using System.Runtime.InteropServices;
using VpnMasq.Node.Live.Native;

namespace VpnMasq.Node.Live;

/// <summary>
/// The frames one capture thread decided in one pass over the capture ring, sent together when the pass ends
/// (<see cref="Flush"/>): one sendmmsg per interface instead of one send per frame. Frames are copied into pinned
/// memory as they are added, so the caller's buffer is free at once and nothing is pinned per frame. Only the
/// capture thread that owns a batch uses it (<see cref="Current"/>); every other thread sends directly.
/// </summary>
internal sealed unsafe class TransmitBatch : IDisposable
{
    public const int MaxFrames = 128;
    private const int ArenaBytes = 512 * 1024;

    [ThreadStatic]
    private static TransmitBatch? _current;

    private readonly byte[] _arena = GC.AllocateArray<byte>(ArenaBytes, pinned: true);
    private readonly Libc.MultiMessageHeader* _messages;
    private readonly Libc.IoVec* _vectors;
    private readonly PacketSocket?[] _sockets = new PacketSocket?[MaxFrames];
    private int _count;
    private int _used;

    public TransmitBatch()
    {
        _messages = (Libc.MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)(MaxFrames * sizeof(Libc.MultiMessageHeader)));
        _vectors = (Libc.IoVec*)NativeMemory.AllocZeroed((nuint)(MaxFrames * sizeof(Libc.IoVec)));
        for (int i = 0; i < MaxFrames; i++)
        {
            _messages[i].Header.Iov = _vectors + i;
            _messages[i].Header.IovLength = 1;
        }
    }

    /// <summary>The batch of the capture thread this runs on; null on any other thread.</summary>
    public static TransmitBatch? Current => _current;

    public int Count => _count;

    /// <summary>Makes this the calling thread's batch (the capture thread, once, as it starts).</summary>
    public void BindToCurrentThread() => _current = this;

    public static void UnbindCurrentThread() => _current = null;

    /// <summary>Sends what the calling capture thread has queued; nothing on any other thread.</summary>
    public static void FlushCurrent() => _current?.Flush();

    /// <summary>Queues <paramref name="frame"/> for <paramref name="socket"/>; a frame larger than the batch's memory goes at once.</summary>
    public void Add(PacketSocket socket, ReadOnlySpan<byte> frame)
    {
        if (frame.Length > ArenaBytes / 4)
        {
            Flush(); // what was queued before it leaves before it
            socket.Send(frame);
            return;
        }

        if (_count == MaxFrames || _used + frame.Length > ArenaBytes)
            Flush();
        frame.CopyTo(_arena.AsSpan(_used));
        fixed (byte* arena = _arena) // pinned for its lifetime: this only takes its address
            _vectors[_count].Base = arena + _used;
        _vectors[_count].Length = (nuint)frame.Length;
        _sockets[_count] = socket;
        _used += frame.Length;
        _count++;
    }

    /// <summary>Sends everything queued, in order: each run of frames for one interface in one sendmmsg.</summary>
    public void Flush()
    {
        int start = 0;
        while (start < _count)
        {
            var socket = _sockets[start]!;
            int end = start + 1;
            while (end < _count && ReferenceEquals(_sockets[end], socket))
                end++;
            socket.SendMany(_messages + start, end - start);
            start = end;
        }

        Array.Clear(_sockets, 0, _count);
        _count = 0;
        _used = 0;
    }

    public void Dispose()
    {
        NativeMemory.Free(_messages);
        NativeMemory.Free(_vectors);
    }
}
