using System.Runtime.InteropServices;

namespace VpnMasq.Node.Live.Native;

/// <summary>
/// The Linux calls a batched packet socket needs and .NET's <see cref="System.Net.Sockets.Socket"/> lacks:
/// sendmmsg (many frames, one system call) and poll on libpcap's descriptor.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    public const int AfPacket = 17;
    public const int SockRaw = 3;
    public const short PollIn = 0x001;
    public const int Eintr = 4;
    public const int SolPacket = 263;
    public const int PacketIgnoreOutgoing = 23; // Linux 4.20

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct mmsghdr: one message of a sendmmsg batch, and how many bytes of it were sent.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MultiMessageHeader
    {
        public MessageHeader Header;
        public uint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary>struct sockaddr_ll: family, protocol (network order), interface index, the rest unused for sending.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LinkLayerAddress
    {
        public ushort Family;
        public ushort Protocol;
        public int InterfaceIndex;
        public ushort HardwareType;
        public byte PacketType;
        public byte AddressLength;
        public ulong Address;
    }

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, LinkLayerAddress* address, uint addressLength);

    [LibraryImport(Library, EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMultiple(int fd, MultiMessageHeader* messages, uint count, int flags);

    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSocketOption(int fd, int level, int name, int* value, uint valueLength);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "strerror")]
    private static partial nint StrError(int errno);

    public static string Describe(int errno) => Marshal.PtrToStringUTF8(StrError(errno)) ?? $"errno {errno}";
}
