using System.Net.Sockets;
using SharpPcap;
using SharpPcap.LibPcap;
using VpnMasq.Node.Live.Native;
using VpnMasq.Protocols;
using VpnMasq.Protocols.Frames;
using VpnMasq.Protocols.Ipv4;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Node.Live;

/// <summary>A frame captured on a link, with its dissection (taken once, at capture) and its capture time.</summary>
internal delegate void CapturedFrame(byte[] frame, in Dissection d, TimeSpan at);

/// <summary>
/// One gateway interface: captures through libpcap the IPv4 frames that arrive addressed to this host's Ethernet
/// address (<see cref="CaptureLoop"/>, arriving frames only), learns neighbours from ARP, and sends frames with
/// this interface's source address and the next hop's destination address through a packet socket
/// (<see cref="PacketSocket"/>), batched per capture pass on a capture thread.
/// Frames whose next hop is not resolved yet wait briefly while an ARP request goes out.
/// A point-to-point link (raw IP or Linux cooked: ppp, tun, WireGuard) has no addresses and one next hop:
/// its packets arrive framed as Ethernet (<see cref="EthernetFraming"/>) and leave without the frame.
/// </summary>
internal sealed class LinkPort : IDisposable
{
    private const int MaxWaitingPerHop = 64;
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(2);

    private readonly LibPcapLiveDevice _device;
    private static readonly TimeSpan ArpRetry = TimeSpan.FromMilliseconds(500);
    private readonly Dictionary<uint, Waiting> _waiting = [];
    private readonly CapturedFrame _onFrame;
    private readonly LinkDropped _onDrop;

    private readonly CaptureSettings _capture;
    private readonly TimeProvider _clock;
    private PointToPointSender? _pointToPoint;
    private PacketSocket? _socket;
    private CaptureLoop? _loop;

    /// <param name="clock">The monotonic clock of ARP waits and retries and of neighbour refreshes.</param>
    public LinkPort(LinkInfo link, CaptureSettings capture, CapturedFrame onFrame, LinkDropped onDrop, TimeProvider clock)
    {
        _capture = capture;
        _clock = clock;
        Link = link;
        Neighbours = new Neighbours(link, TimeSpan.FromSeconds(capture.NeighbourReachableSeconds), clock);
        _onFrame = onFrame;
        _onDrop = onDrop;
        _device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == link.Name)
                  ?? throw new InvalidOperationException($"libpcap does not see interface {link.Name}");
    }

    public LinkInfo Link { get; }
    public Neighbours Neighbours { get; }

    /// <summary>Known once <see cref="Start"/> has opened the capture.</summary>
    public LinkFraming Framing { get; private set; }

    public void Start()
    {
        try
        {
            // Immediate mode: a frame is handed over as it arrives, not when a buffer fills (latency of the tunnel).
            _device.Open(new DeviceConfiguration
            {
                Mode = DeviceModes.None,
                Immediate = _capture.Immediate,
                BufferSize = _capture.BufferMegabytes * 1024 * 1024,
                ReadTimeout = _capture.ReadTimeoutMilliseconds,
                Snaplen = 65536,
            });
        }
        catch (PcapException e)
        {
            throw new InvalidOperationException($"cannot capture on {Link.Name}: {e.Message.Trim()} (run as root or with CAP_NET_RAW)", e);
        }

        Framing = LinkFramings.Of(Link.Name, _device.LinkType);
        // Arriving frames only: what this host and the gateway send would otherwise be copied into the ring too
        // (a forwarded frame twice), only to be thrown away here.
        InboundCapture.Set(_device);
        CapturedBytes arrived;
        if (Framing == LinkFraming.Ethernet)
        {
            _device.Filter = "arp or ip";
            Neighbours.Refresh(resolving: true);
            _socket = new PacketSocket(Link.Name, _onDrop);
            arrived = Arrived;
        }
        else
        {
            _device.Filter = "ip";
            _pointToPoint = new PointToPointSender(Link.Name);
            arrived = ArrivedPointToPoint;
        }

        _loop = new CaptureLoop(_device, arrived, _onDrop,
            e => _onDrop("internal-error", $"a frame captured on {Link.Name} was lost: {e.GetType().Name}: {e.Message}", 1));
        _loop.Start();
    }

    private void Arrived(ReadOnlySpan<byte> frame, TimeSpan at)
    {
        // Tagged frames were never this port's: the capture filter ("arp or ip") does not match them. A frame from
        // this interface's own address is one the host looped back, never a neighbour's.
        if (EthernetHeader.Parse(frame, out var ethernet) != ParseStatus.Ok || ethernet.HasVlanTag || ethernet.Source.SequenceEqual(Link.Mac))
            return;
        if (ethernet.EtherType == EtherType.Arp)
        {
            LearnFromArp(frame[ethernet.Length..]);
            return;
        }

        // Only frames sent to this interface; the kernel keeps traffic for its own addresses.
        if (ethernet.EtherType == EtherType.Ipv4 && ethernet.Destination.SequenceEqual(Link.Mac) && IsForwarded(frame))
            Deliver(frame.ToArray(), at);
    }

    /// <summary>A point-to-point link: every packet libpcap shows arrived (the capture is inbound only), for this host or through it.</summary>
    private void ArrivedPointToPoint(ReadOnlySpan<byte> packet, TimeSpan at)
    {
        var frame = Framing == LinkFraming.RawIp ? EthernetFraming.FromRawIp(packet) : EthernetFraming.FromLinuxCooked(packet);
        if (frame is not null && IsForwarded(frame))
            Deliver(frame, at);
    }

    /// <summary>An IPv4 frame through the gateway, or to the public address on the outside port; the host keeps the rest.</summary>
    private bool IsForwarded(ReadOnlySpan<byte> frame) =>
        Ipv4Header.TryReadDestination(frame[EthernetHeader.UntaggedLength..], out uint destination)
        && (destination != Link.Address || AcceptsOwnAddress);

    private void Deliver(byte[] frame, TimeSpan at)
    {
        // The one dissection of this frame: ordering, the front, the flow cache and the owner all read it.
        var d = FrameDissector.Dissect(LinkType.Ethernet, frame);
        _onFrame(frame, d, at);
    }

    /// <summary>The outside port takes frames to its own address: that is the public address.</summary>
    public bool AcceptsOwnAddress { get; init; }

    /// <summary>Sends <paramref name="frame"/> towards its IPv4 destination on this link.</summary>
    public void Send(byte[] frame)
    {
        // Frames the pipeline sends are untagged Ethernet: captured untagged, or framed so (EthernetFraming).
        if (!Ipv4Header.TryReadDestination(frame.AsSpan(EthernetHeader.UntaggedLength), out uint destination))
            return;
        if (_pointToPoint is { } link)
        {
            SendPointToPoint(link, frame);
            return;
        }

        uint nextHop = Neighbours.NextHop(destination);
        lock (_waiting)
        {
            if (Neighbours.TryGetMac(nextHop, out var mac))
            {
                // Frames that waited for this neighbour go first: a hop's frames leave in the order they came.
                if (_waiting.Remove(nextHop, out var earlier))
                {
                    foreach (var waited in earlier.Frames)
                        Transmit(waited, mac);
                }

                Transmit(frame, mac);
                return;
            }

            if (!_waiting.TryGetValue(nextHop, out var entry))
                _waiting[nextHop] = entry = new Waiting(_clock.GetTimestamp());
            if (entry.Frames.Count < MaxWaitingPerHop)
                entry.Frames.Add(frame);
            else
                _onDrop("neighbour-queue-full", $"{MaxWaitingPerHop} frames already wait on {Link.Name} for next hop {Ipv4Address.Format(nextHop)}", 1);
            if (entry.Frames.Count == 1)
                RequestArp(nextHop, entry); // one request per hop; FlushWaiting repeats it while the hop is unresolved
        }
    }

    /// <summary>Sends what waited for a neighbour now known, and drops (counted) what waited too long.</summary>
    public void FlushWaiting()
    {
        if (_pointToPoint is not null)
            return; // nothing waits: a point-to-point link has no next hop to resolve
        // /proc is read outside the lock every captured frame's Send takes.
        Neighbours.Refresh(resolving: _waiting.Count > 0);
        foreach (uint stale in Neighbours.DueForProbe() ?? [])
            SendArpRequest(stale);
        lock (_waiting)
        {
            if (_waiting.Count == 0)
                return;
            foreach (var (hop, entry) in _waiting.ToList())
            {
                if (Neighbours.TryGetMac(hop, out var mac))
                {
                    // Under the lock, so a frame Send handles meanwhile cannot overtake these.
                    foreach (var frame in entry.Frames)
                        Transmit(frame, mac);
                    _waiting.Remove(hop);
                }
                else if (_clock.GetElapsedTime(entry.Since) > ResolveTimeout)
                {
                    string detail = $"next hop {Ipv4Address.Format(hop)} on {Link.Name} did not answer ARP within {ResolveTimeout.TotalSeconds:0.#} s";
                    _onDrop("neighbour-unresolved", detail, entry.Frames.Count);
                    _waiting.Remove(hop);
                }
                else if (_clock.GetElapsedTime(entry.LastRequest) > ArpRetry)
                {
                    RequestArp(hop, entry);
                }
            }
        }
    }

    /// <summary>On a capture thread into its batch, sent when the pass over the ring ends; from any other thread at once.</summary>
    private void Transmit(byte[] frame, byte[] mac)
    {
        EthernetFields.Readdress(frame, mac, Link.Mac);
        if (TransmitBatch.Current is { } batch)
            batch.Add(_socket!, frame);
        else
            _socket!.Send(frame);
    }

    private void SendPointToPoint(PointToPointSender link, byte[] frame)
    {
        try
        {
            link.Send(EthernetFraming.ToRawIp(frame));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _onDrop("transmit-failed", $"{frame.Length - EthernetHeader.UntaggedLength}-byte packet on {Link.Name}: {e.Message}", 1);
        }
    }

    private void LearnFromArp(ReadOnlySpan<byte> packet)
    {
        // Requests, replies and gratuitous ARP alike: the sender says where it is.
        if (ArpPacket.TryParse(packet, out var arp))
            Neighbours.Learn(arp.SenderAddress, arp.SenderMac);
    }

    private void RequestArp(uint target, Waiting entry)
    {
        entry.LastRequest = _clock.GetTimestamp();
        SendArpRequest(target);
    }

    private void SendArpRequest(uint target)
    {
        // A refusal is counted (transmit-failed); the next retry asks again, and frames waiting for this hop are counted if it never answers.
        _socket!.Send(ArpFields.Request(EthernetFields.ReadMac(Link.Mac), Link.Address, target).ToEthernetFrame());
    }

    public void Dispose()
    {
        _loop?.Dispose();
        _device.Close();
        _socket?.Dispose();
        _pointToPoint?.Dispose();
    }

    public override string ToString() => $"{Link.Name} ({Ipv4Address.Format(Link.Address)})";

    /// <summary>Frames waiting for one next hop's Ethernet address; since and last asked as monotonic timestamps.</summary>
    private sealed class Waiting(long since)
    {
        public long Since { get; } = since;
        public long LastRequest { get; set; }
        public List<byte[]> Frames { get; } = [];
    }
}
