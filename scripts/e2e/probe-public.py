#!/usr/bin/python3
# Probes an address from the internet side with UDP, a TCP SYN, ESP and GRE that nothing maps,
# and prints per probe whether that host's kernel answered (port/protocol unreachable, RST).
import sys
from scapy.all import IP, UDP, TCP, Raw, sr1, conf

conf.verb = 0
target = sys.argv[1] if len(sys.argv) > 1 else "200.200.200.200"
probes = [
    ("udp", IP(dst=target) / UDP(sport=4000, dport=5555) / Raw(b"x")),
    ("tcp", IP(dst=target) / TCP(sport=4001, dport=5556, flags="S")),
    ("esp", IP(dst=target, proto=50) / Raw(b"\x00\x00\x12\x34" + b"\x00" * 12)),
    ("gre", IP(dst=target, proto=47) / Raw(b"\x30\x01\x88\x0b\x00\x00\x00\x07" + b"\x00\x00\x00\x01")),  # enhanced GRE, key + sequence
]
for name, packet in probes:
    answer = sr1(packet, timeout=1.5)
    print(name, "answered" if answer is not None else "silent", flush=True)
