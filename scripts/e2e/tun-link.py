#!/usr/bin/python3
"""One half of a point-to-point raw-IP link between two network namespaces.

    ip netns exec NS tun-link.py DEV OWN.sock PEER.sock [LINKTYPE]

creates TUN device DEV (no packet-info header: raw IPv4, as ppp0 or wg0 look to libpcap)
and shuttles every packet the kernel sends on DEV to the other half through a Unix-domain
datagram socket, and every datagram from the other half into DEV. The sockets live in the
file system, which both namespaces share; network namespaces do not separate them.
The device lives as long as this process (not persistent): killing it removes DEV.

LINKTYPE sets the device's hardware type (TUNSETLINK): "ppp" makes DEV a ppp device as
libpcap sees it (Linux cooked capture, as a real pppd's ppp0), "ieee80211" one vpnmasqd
cannot use. The packets stay raw IP either way.
"""
import fcntl
import os
import select
import signal
import socket
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
TUNSETLINK = 0x400454CD
LINK_TYPES = {"ppp": 512, "ieee80211": 801}  # ARPHRD_PPP, ARPHRD_IEEE80211


def main() -> None:
    dev, own, peer = sys.argv[1:4]
    tun = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", dev.encode(), IFF_TUN | IFF_NO_PI))
    if len(sys.argv) > 4:
        fcntl.ioctl(tun, TUNSETLINK, LINK_TYPES[sys.argv[4]])  # only while DEV is down, so first
    if os.path.exists(own):
        os.unlink(own)
    link = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    link.bind(own)
    # SIGTERM (topo_down) ends the loop; the finally removes the socket file.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            ready, _, _ = select.select([tun, link], [], [])
            if tun in ready:
                packet = os.read(tun, 65535)
                try:
                    link.sendto(packet, peer)
                except OSError:
                    pass  # the other half is not up yet, or gone: the packet is lost, as on a wire
            if link in ready:
                packet = link.recv(65535)
                try:
                    os.write(tun, packet)
                except OSError:
                    pass  # DEV is down or the packet is not IP: the kernel refuses it, the link goes on
    finally:
        os.unlink(own)


if __name__ == "__main__":
    main()
