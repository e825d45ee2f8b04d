using System.Diagnostics;
using System.Runtime.InteropServices;
using SharpPcap.LibPcap;
using VpnMasq.Node.Live.Native;

namespace VpnMasq.Node.Live;

/// <summary>A frame as libpcap shows it, valid only during the call, and its capture time.</summary>
internal delegate void CapturedBytes(ReadOnlySpan<byte> frame, TimeSpan at);

/// <summary>
/// One interface's capture thread: it takes every frame waiting in libpcap's ring in one pass (pcap_dispatch,
/// non-blocking), hands each to <see cref="CapturedBytes"/>, sends what the pass decided in one batch
/// (<see cref="TransmitBatch"/>), and only then sleeps in poll until the next frame. SharpPcap's capture loop
/// raises an event per frame and has no end-of-pass point to flush sends at, so this loop replaces it; the device
/// is still opened, filtered and closed through SharpPcap. Frames the kernel dropped because the ring was full are
/// counted from libpcap's statistics (capture-ring-full), so a frame lost before the gateway saw it is counted too.
/// </summary>
internal sealed unsafe class CaptureLoop : IDisposable
{
    private const int FramesPerPass = TransmitBatch.MaxFrames;
    private const int PollMilliseconds = 100;
    private static readonly long StatisticsEvery = Stopwatch.Frequency; // once a second

    private readonly LibPcapLiveDevice _device;
    private readonly CapturedBytes _onFrame;
    private readonly LinkDropped _onDrop;
    private readonly Action<Exception> _failed;
    private readonly TransmitBatch _batch = new();
    private Thread? _thread;
    private volatile bool _stopping;
    private nint _pcap;
    private uint _dropped;
    private uint _interfaceDropped;

    public CaptureLoop(LibPcapLiveDevice device, CapturedBytes onFrame, LinkDropped onDrop, Action<Exception> failed)
    {
        _device = device;
        _onFrame = onFrame;
        _onDrop = onDrop;
        _failed = failed;
    }

    /// <summary>Starts the capture thread; the device must be open and filtered.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "capture " + _device.Name };
        _thread.Start();
    }

    private void Run()
    {
        var handle = _device.Handle;
        bool added = false;
        var self = GCHandle.Alloc(this);
        try
        {
            handle.DangerousAddRef(ref added); // pcap_close waits for this loop, however the device is closed
            _pcap = handle.DangerousGetHandle();
            byte* error = stackalloc byte[256];
            if (LibPcap.SetNonBlock(_pcap, 1, error) != 0)
                throw new InvalidOperationException($"cannot capture on {_device.Name} without blocking: {Marshal.PtrToStringUTF8((nint)error)}");
            var poll = new Libc.PollFd { Fd = LibPcap.SelectableFd(_pcap), Events = Libc.PollIn };
            _batch.BindToCurrentThread();
            long statisticsDue = Stopwatch.GetTimestamp() + StatisticsEvery;
            while (!_stopping)
            {
                int taken = LibPcap.Dispatch(_pcap, FramesPerPass, &Arrived, GCHandle.ToIntPtr(self));
                _batch.Flush();
                if (taken == LibPcap.ErrorBreak)
                    break;
                if (taken < 0)
                    throw new InvalidOperationException($"capture on {_device.Name} failed: {LibPcap.LastError(_pcap)}");
                if (taken == 0)
                    Libc.Poll(&poll, 1, PollMilliseconds);
                if (Stopwatch.GetTimestamp() >= statisticsDue)
                {
                    CountKernelDrops();
                    statisticsDue = Stopwatch.GetTimestamp() + StatisticsEvery;
                }
            }
        }
        catch (Exception e) when (!_stopping)
        {
            _failed(e);
        }
        finally
        {
            TransmitBatch.UnbindCurrentThread();
            self.Free();
            if (added)
                handle.DangerousRelease();
        }
    }

    [UnmanagedCallersOnly]
    private static void Arrived(nint user, LibPcap.PacketHeader* header, byte* bytes)
    {
        var loop = (CaptureLoop)GCHandle.FromIntPtr(user).Target!;
        try
        {
            var at = TimeSpan.FromTicks(header->Seconds * TimeSpan.TicksPerSecond + header->Microseconds * TimeSpan.TicksPerMicrosecond);
            loop._onFrame(new ReadOnlySpan<byte>(bytes, (int)header->CaptureLength), at);
        }
        catch (Exception e)
        {
            // Nothing may unwind into libpcap: the frame is lost (counted by the owner of _failed), the capture goes on.
            loop._failed(e);
        }
    }

    /// <summary>What the kernel dropped since the last look: the ring was full (the gateway fell behind), or the interface dropped it.</summary>
    private void CountKernelDrops()
    {
        LibPcap.Statistics stats;
        if (LibPcap.Stats(_pcap, &stats) != 0)
            return;
        uint dropped = stats.Dropped - _dropped;
        uint interfaceDropped = stats.InterfaceDropped - _interfaceDropped;
        _dropped = stats.Dropped;
        _interfaceDropped = stats.InterfaceDropped;
        if (dropped > 0)
            _onDrop("capture-ring-full", $"the kernel dropped {dropped} frame(s) on {_device.Name}: the capture ring was full (Capture:BufferMegabytes)", dropped);
        if (interfaceDropped > 0)
            _onDrop("interface-dropped", $"{_device.Name} dropped {interfaceDropped} frame(s) before capture", interfaceDropped);
    }

    public void Dispose()
    {
        _stopping = true;
        if (_pcap != 0)
            LibPcap.BreakLoop(_pcap);
        // The batch's native memory is freed only once its thread is gone.
        if (_thread is null || _thread.Join(TimeSpan.FromSeconds(2)))
            _batch.Dispose();
    }
}
