using System.Runtime.InteropServices;

namespace VpnMasq.Node.Live.Native;

/// <summary>
/// The few libpcap calls SharpPcap does not expose in a form a batched capture can use: its capture loop raises an
/// event per frame with no "batch done" point to flush sends at, and polls with a fresh array per wake-up.
/// Same library SharpPcap has loaded (Debian's libpcap0.8); the handle is SharpPcap's.
/// </summary>
internal static unsafe partial class LibPcap
{
    private const string Library = "libpcap.so.0.8";

    public const int ErrorBreak = -2; // PCAP_ERROR_BREAK: pcap_breakloop was called

    /// <summary>struct pcap_pkthdr on LP64 Linux: struct timeval, caplen, len.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public readonly struct PacketHeader
    {
        public readonly long Seconds;
        public readonly long Microseconds;
        public readonly uint CaptureLength;
        public readonly uint Length;
    }

    /// <summary>struct pcap_stat: received, dropped by the kernel for want of ring space, dropped by the interface.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Statistics
    {
        public uint Received;
        public uint Dropped;
        public uint InterfaceDropped;
    }

    [LibraryImport(Library, EntryPoint = "pcap_dispatch")]
    public static partial int Dispatch(nint pcap, int count, delegate* unmanaged<nint, PacketHeader*, byte*, void> callback, nint user);

    [LibraryImport(Library, EntryPoint = "pcap_setnonblock")]
    public static partial int SetNonBlock(nint pcap, int nonBlock, byte* errorBuffer);

    [LibraryImport(Library, EntryPoint = "pcap_get_selectable_fd")]
    public static partial int SelectableFd(nint pcap);

    [LibraryImport(Library, EntryPoint = "pcap_stats")]
    public static partial int Stats(nint pcap, Statistics* stats);

    [LibraryImport(Library, EntryPoint = "pcap_fileno")]
    public static partial int FileNumber(nint pcap);

    [LibraryImport(Library, EntryPoint = "pcap_breakloop")]
    public static partial void BreakLoop(nint pcap);

    [LibraryImport(Library, EntryPoint = "pcap_geterr")]
    public static partial nint Error(nint pcap);

    public static string LastError(nint pcap) => Marshal.PtrToStringUTF8(Error(pcap)) ?? "unknown libpcap error";
}
