#!/usr/bin/python3
"""Stand-in ESP responder for the raw ESP end-to-end tests (DESIGN §3.3).

Real peers never send raw ESP (IP protocol 50) through a NAT (PEERS.md), so this answers crafted
ESP instead: every ESP packet from PEER gets, after DELAY seconds, one ESP packet back to its
sender whose SPI is the request's SPI XOR 0xFFFF0000 (the "inbound SPI" of that association) and
whose sequence number is the request's. The delay stands for the remote's IKE/ESP processing; it
keeps an association outstanding long enough that a second inside host's initial packet meets it.

Packets come and go through a raw IPPROTO_ESP socket: the kernel delivers every ESP packet for
this host to it (so it also stops the kernel answering ICMP protocol-unreachable) and routes the
replies. Scapy builds and dissects the ESP headers. Prints "ready" once listening, then one line
per request and per reply.
"""
import argparse
import socket
import threading

from scapy.layers.inet import IP
from scapy.layers.ipsec import ESP

REPLY_MASK = 0xFFFF0000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", default="200.200.200.200", help="answer ESP from this address only")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds before each reply")
    args = parser.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ESP)
    lock = threading.Lock()

    def answer(source: str, spi: int, seq: int) -> None:
        reply_spi = spi ^ REPLY_MASK
        reply = ESP(spi=reply_spi, seq=seq, data=b"reply to %08x seq %d" % (spi, seq))
        with lock:
            sock.sendto(bytes(reply), (source, 0))
            print(f"reply spi={reply_spi:08x} seq={seq} to {source}", flush=True)

    print("ready", flush=True)
    while True:
        data = sock.recv(65535)
        packet = IP(data)
        if ESP not in packet or packet[IP].src != args.peer:
            continue
        esp = packet[ESP]
        with lock:
            print(f"request spi={esp.spi:08x} seq={esp.seq} from {packet[IP].src}", flush=True)
        threading.Timer(args.delay, answer, (packet[IP].src, esp.spi, esp.seq)).start()


if __name__ == "__main__":
    main()
