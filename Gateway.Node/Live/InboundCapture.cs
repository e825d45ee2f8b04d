using System.Runtime.InteropServices;
using SharpPcap.LibPcap;
using VpnMasq.Node.Live.Native;

namespace VpnMasq.Node.Live;

/// <summary>
/// libpcap shows what leaves an interface as well as what arrives. The capture is told to deliver arriving packets
/// only: a point-to-point link has no source address to tell them apart by, and on Ethernet every frame the gateway
/// sends would otherwise be copied into the ring of the port it leaves by, only to be thrown away. Not with the
/// filter word "inbound": libpcap checks that in user space for the packets already in its ring when the filter
/// is set, where it cannot, so the first packet(s) on the link were lost (seen with libpcap 1.10.3 on a tun).
/// SharpPcap does not wrap pcap_setdirection; the library it has loaded does have it.
/// </summary>
internal static class InboundCapture
{
    private const int PcapDirectionIn = 1; // PCAP_D_IN

    public static void Set(LibPcapLiveDevice device)
    {
        int result;
        try
        {
            result = SetDirection(device.Handle, PcapDirectionIn);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException($"cannot capture only arriving packets on {device.Name}: {e.Message}", e);
        }

        if (result != 0)
            throw new InvalidOperationException($"cannot capture only arriving packets on {device.Name}: {device.LastError}");
        IgnoreOutgoingInKernel(device);
    }

    /// <summary>
    /// libpcap 1.10 drops what leaves in user space: the kernel still copies every sent frame into the ring and wakes
    /// the capture thread for it (measured: the outside port's capture thread spent as much CPU as the inside one's on
    /// a one-way flood). PACKET_IGNORE_OUTGOING (Linux 4.20) stops that in the kernel; an older kernel keeps the
    /// user-space check, which is correct, only slower.
    /// </summary>
    private static unsafe void IgnoreOutgoingInKernel(LibPcapLiveDevice device)
    {
        bool added = false;
        try
        {
            device.Handle.DangerousAddRef(ref added);
            int on = 1;
            _ = Libc.SetSocketOption(LibPcap.FileNumber(device.Handle.DangerousGetHandle()), Libc.SolPacket, Libc.PacketIgnoreOutgoing, &on, sizeof(int));
        }
        finally
        {
            if (added)
                device.Handle.DangerousRelease();
        }
    }

    // The soname of Debian's libpcap0.8, the one SharpPcap loads on the hosts vpnmasqd runs on.
    [DllImport("libpcap.so.0.8", EntryPoint = "pcap_setdirection")]
    private static extern int SetDirection(PcapHandle handle, int direction);
}
