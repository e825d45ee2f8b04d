#!/usr/bin/python3
"""Stand-in raw ESP initiator for the raw ESP end-to-end tests (DESIGN §3.3).

Sends an initial ESP packet with SPI to SERVER, then retries every INTERVAL seconds, up to TRIES
packets in all, until an ESP packet from SERVER to this host with SPI XOR 0xFFFF0000 (what
esp-responder.py answers) arrives. Exit 0 and "reply spi=… after N sends" when it does, exit 1
and "no reply after N sends" when it never does.

With --go FILE it prints "ready" once its socket is open and sends nothing until FILE exists, so
a test can start several senders (Python and scapy take a second to load) and release them in
the order it wants. Replies are read from a raw IPPROTO_ESP socket opened before the first send:
the kernel delivers every ESP packet addressed to this host there (nothing can be missed while
a sniffer starts, and the kernel does not answer ICMP protocol-unreachable).
"""
import argparse
import os
import select
import socket
import sys
import time

from scapy.layers.inet import IP
from scapy.layers.ipsec import ESP

REPLY_MASK = 0xFFFF0000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="199.0.0.1")
    parser.add_argument("--spi", type=lambda s: int(s, 0), required=True)
    parser.add_argument("--tries", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--go", help="wait for this file to exist before sending")
    args = parser.parse_args()
    expected = args.spi ^ REPLY_MASK

    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ESP)
    if args.go:
        print("ready", flush=True)
        while not os.path.exists(args.go):
            time.sleep(0.01)

    start = time.monotonic()
    for seq in range(1, args.tries + 1):
        request = ESP(spi=args.spi, seq=seq, data=b"request %d" % seq)
        sock.sendto(bytes(request), (args.server, 0))
        print(f"sent {seq} spi={args.spi:08x} at {time.monotonic() - start:.3f}s", flush=True)
        deadline = time.monotonic() + args.interval
        while (left := deadline - time.monotonic()) > 0:
            if not select.select([sock], [], [], left)[0]:
                break
            packet = IP(sock.recv(65535))
            if ESP not in packet or packet[IP].src != args.server:
                continue
            spi = packet[ESP].spi
            if spi != expected:
                print(f"ignored spi={spi:08x} from {packet[IP].src}", flush=True)
                continue
            print(f"reply spi={spi:08x} seq={packet[ESP].seq} after {seq} sends, "
                  f"{time.monotonic() - start:.3f}s", flush=True)
            return 0
    print(f"no reply after {args.tries} sends", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
