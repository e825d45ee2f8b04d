#!/usr/bin/python3
"""A tiny /dev/log sink: binds a unix datagram socket at SOCKET and appends every
message to LOGFILE. pptpd, pptpctrl and pptp log only to syslog; pptp.sh binds one of
these into each daemon's private /dev. Usage: syslog-sink.py SOCKET LOGFILE"""
import os
import signal
import socket
import sys
import time

sock_path, log_path = sys.argv[1], sys.argv[2]
try:
    os.unlink(sock_path)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sock_path)
os.chmod(sock_path, 0o666)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
with open(log_path, "a", buffering=1) as log:
    log.write("%s syslog-sink: listening on %s\n" % (time.strftime("%H:%M:%S"), sock_path))
    while True:
        data = s.recv(65536)
        t = time.time()
        msg = data.decode("utf-8", "replace").rstrip("\n\0")
        # Drop the "<PRI>Mon dd hh:mm:ss " header glibc puts in front.
        if msg.startswith("<") and ">" in msg[:5]:
            msg = msg[msg.index(">") + 1:]
            if len(msg) > 16 and msg[3] == " " and msg[15] == " ":
                msg = msg[16:]
        log.write("%s.%03d %s\n" % (time.strftime("%H:%M:%S", time.localtime(t)),
                                    int(t * 1000) % 1000, msg))
