using System.Runtime.InteropServices;
using VpnMasq.Node.Live.Native;

namespace VpnMasq.Node.Live;

/// <summary>Frames a link lost, counted with a reason: refused on the way out, or dropped by the kernel before capture.</summary>
internal delegate void LinkDropped(string reason, string detail, long count);

/// <summary>
/// Sends whole Ethernet frames on one interface through a Linux packet socket bound to it, one at a time or many
/// per system call (<see cref="SendMany"/>, sendmmsg). libpcap's own injection is one send per frame under a lock;
/// at full load that system call was the largest cost per forwarded frame. Protocol 0: the socket sends only, so
/// nothing is ever queued on it for reading. The kernel takes the frame's protocol from its Ethernet header, and
/// packet taps (tcpdump on the interface) still see what leaves.
/// </summary>
internal sealed unsafe class PacketSocket : IDisposable
{
    private readonly int _fd;
    private readonly string _link;
    private readonly LinkDropped _failed;

    public PacketSocket(string interfaceName, LinkDropped failed)
    {
        _link = interfaceName;
        _failed = failed;
        _fd = Libc.Socket(Libc.AfPacket, Libc.SockRaw, 0);
        if (_fd < 0)
            throw new InvalidOperationException($"cannot open a packet socket for {interfaceName}: {Libc.Describe(Marshal.GetLastPInvokeError())} (run as root or with CAP_NET_RAW)");
        var address = new Libc.LinkLayerAddress { Family = Libc.AfPacket, InterfaceIndex = LinkInfo.IndexOf(interfaceName) };
        if (Libc.Bind(_fd, &address, (uint)sizeof(Libc.LinkLayerAddress)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = Libc.Close(_fd);
            throw new InvalidOperationException($"cannot bind a packet socket to {interfaceName}: {Libc.Describe(errno)}");
        }
    }

    /// <summary>Sends one frame now; a refusal (link down, frame over the MTU) is counted as transmit-failed.</summary>
    public void Send(ReadOnlySpan<byte> frame)
    {
        fixed (byte* p = frame)
        {
            if (Libc.Send(_fd, p, (nuint)frame.Length, 0) < 0)
                Failed(Marshal.GetLastPInvokeError(), frame.Length);
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> prepared messages in order, as few system calls as the kernel allows. A message the
    /// kernel refuses is counted and skipped; the ones after it still go.
    /// </summary>
    public void SendMany(Libc.MultiMessageHeader* messages, int count)
    {
        int at = 0;
        while (at < count)
        {
            int sent = Libc.SendMultiple(_fd, messages + at, (uint)(count - at), 0);
            if (sent > 0)
            {
                at += sent;
                continue;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (sent < 0 && errno == Libc.Eintr)
                continue;
            Failed(errno, (int)messages[at].Header.Iov->Length);
            at++; // sendmmsg stops at the first refusal: skip that frame, keep the rest
        }
    }

    private void Failed(int errno, int length) =>
        _failed("transmit-failed", $"{length}-byte frame on {_link}: {Libc.Describe(errno)}", 1);

    public void Dispose() => _ = Libc.Close(_fd);
}
