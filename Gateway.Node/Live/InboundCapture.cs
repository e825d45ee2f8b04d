using System.Runtime.InteropServices;
using SharpPcap.LibPcap;

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
    }

    // The soname of Debian's libpcap0.8, the one SharpPcap loads on the hosts vpnmasqd runs on.
    [DllImport("libpcap.so.0.8", EntryPoint = "pcap_setdirection")]
    private static extern int SetDirection(PcapHandle handle, int direction);
}
