#!/usr/bin/python3
"""Writes the sample captures in samples/: what inside hosts (10.0.0.2, 10.0.0.3) and a VPN
server on the internet (199.0.0.1) would put on the wire around a VpnMasq gateway whose public
address is 200.200.200.200. Frames from inside carry inside addresses; replies from the server
are addressed to the public address, as the gateway would receive them. Run: scripts/make-samples.py"""
import os, struct
from scapy.all import Ether, IP, UDP, TCP, GRE, Raw, wrpcap

GW_IN, GW_OUT = "02:00:00:00:00:01", "02:00:00:00:00:02"
A, B, PUB, SRV = "10.0.0.2", "10.0.0.3", "200.200.200.200", "199.0.0.1"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")


def frame(src, dst, payload, t, proto=None):
    mac = ("02:00:00:00:00:0a", GW_IN) if src.startswith("10.") else ("02:00:00:00:00:63", GW_OUT)
    ip = IP(src=src, dst=dst, id=0x100) if proto is None else IP(src=src, dst=dst, id=0x100, proto=proto)
    p = Ether(src=mac[0], dst=mac[1]) / ip / payload
    p.time = t
    return p


def esp(spi, seq, size=64):
    return Raw(struct.pack(">II", spi, seq) + bytes(range(size)))


def esp_frame(src, dst, spi, seq, t):
    return frame(src, dst, esp(spi, seq), t, proto=50)


def isakmp(icookie, rcookie, exch, mid, version=0x10, body=b""):
    length = 28 + len(body)
    return struct.pack(">QQBBBBII", icookie, rcookie, 1, version, exch, 0, mid, length) + body


def esp_session():
    """Two inside hosts start ESP to one server at once: the second is blocked until the first is answered."""
    t = 1700000000.0
    return [
        esp_frame(A, SRV, 0xA0000001, 1, t),
        esp_frame(B, SRV, 0xB0000001, 1, t + 0.1),   # blocked: A's init is outstanding
        esp_frame(SRV, PUB, 0x5A000001, 1, t + 0.2),  # reply: associated with A
        esp_frame(B, SRV, 0xB0000001, 2, t + 0.3),   # B's turn now
        esp_frame(SRV, PUB, 0x5B000001, 1, t + 0.4),  # associated with B
        esp_frame(A, SRV, 0xA0000001, 2, t + 0.5),
        esp_frame(SRV, PUB, 0x5A000001, 2, t + 0.6),
        esp_frame(SRV, PUB, 0x5B000001, 2, t + 0.7),
        esp_frame(A, SRV, 0, 3, t + 0.8),             # zero SPI: dropped
    ]


def isakmp_exchange():
    """IKEv1 main mode from two inside hosts to one server on UDP 500, routed back by cookies."""
    t = 1700000100.0
    ca, cb, ra, rb = 0x1111111111111111, 0x2222222222222222, 0xAAAAAAAAAAAAAAAA, 0xBBBBBBBBBBBBBBBB
    u = lambda: UDP(sport=500, dport=500)
    return [
        frame(A, SRV, u() / Raw(isakmp(ca, 0, 2, 0, body=bytes(40))), t),
        frame(B, SRV, u() / Raw(isakmp(cb, 0, 2, 0, body=bytes(40))), t + 0.1),
        frame(SRV, PUB, u() / Raw(isakmp(ca, ra, 2, 0, body=bytes(40))), t + 0.2),
        frame(SRV, PUB, u() / Raw(isakmp(cb, rb, 2, 0, body=bytes(40))), t + 0.3),
        frame(A, SRV, u() / Raw(isakmp(ca, ra, 2, 0, body=bytes(60))), t + 0.4),
        frame(SRV, PUB, u() / Raw(isakmp(ca, rb, 2, 0, body=bytes(60))), t + 0.5),  # wrong responder cookie: no-mapping
        frame(B, SRV, u() / Raw(isakmp(0, 0, 2, 0)), t + 0.6),                      # zero cookie
        frame(A, SRV, Raw(struct.pack(">BBHII", 6, 4, 0, 0x1234, 1) + bytes(12)), t + 0.7, proto=51),    # AH: refused by name
    ]


def pptp_message(ctype, length, fields):
    body = bytearray(length)
    struct.pack_into(">HHIHH", body, 0, length, 1, 0x1A2B3C4D, ctype, 0)
    for offset, value in fields:
        struct.pack_into(">H", body, offset, value)
    return bytes(body)


def pptp_call():
    """Two PPTP clients with the same Call ID 7 call one server; the gateway keeps them apart."""
    t = 1700000200.0
    frames, seq = [], {}
    def tcp(src, dst, sport, dport, flags, data=b"", dt=0.0):
        key = (src, sport)
        s = seq.setdefault(key, 1000 if src.startswith("10.") else 5000)
        seq[key] = s + len(data) + (1 if "S" in flags or "F" in flags else 0)
        frames.append(frame(src, dst, TCP(sport=sport, dport=dport, flags=flags, seq=s, ack=1) / Raw(data), t + dt))
    for i, (host, port) in enumerate([(A, 40001), (B, 40001)]):
        base = i * 0.01
        tcp(host, SRV, port, 1723, "S", dt=base)
        tcp(host, SRV, port, 1723, "PA", pptp_message(1, 156, []), dt=0.1 + base)
        tcp(host, SRV, port, 1723, "PA", pptp_message(7, 168, [(12, 7), (14, 1)]), dt=0.2 + base)
    tcp(SRV, PUB, 1723, 40001, "SA", dt=0.05)
    tcp(SRV, PUB, 1723, 40001, "PA", pptp_message(8, 32, [(12, 900), (14, 7), (16, 0x0100)]), dt=0.3)
    # Enhanced GRE (RFC 2637): flags K+S, version 1, key = payload length | Call ID of the receiver.
    gre = lambda call: Raw(bytes.fromhex("3001880b") + struct.pack(">HHI", 4, call, 1) + b"\xff\x03\xc0\x21")
    frames.append(frame(A, SRV, gre(900), t + 0.4, proto=47))   # to the server's Call ID
    frames.append(frame(SRV, PUB, gre(7), t + 0.5, proto=47))   # to the masqueraded Call ID of A's call
    frames.sort(key=lambda f: f.time)
    return frames


os.makedirs(OUT, exist_ok=True)
for name, build in [("esp-session", esp_session), ("isakmp-exchange", isakmp_exchange), ("pptp-call", pptp_call)]:
    frames = build()
    wrpcap(os.path.join(OUT, name + ".pcap"), frames)
    print(f"samples/{name}.pcap: {len(frames)} frames")
