#!/usr/bin/python3
"""A stand-in for pppd for PPTP tests on a kernel without PPP.

Speaks async-HDLC-framed PPP (RFC 1662) on its stdin/stdout, negotiates LCP and IPCP
(RFC 1661, RFC 1332) and bridges IPv4 (protocol 0x0021) to a TUN device, so that real
packets cross a PPTP tunnel run by pptpd/pptpctrl (server) or pptp (client).

Arguments are pppd-style words; unknown words are ignored:
  file PATH            read more options from PATH (pptpctrl passes its `option` file)
  logfile PATH         append the log there (default: stderr; a daemon has no terminal)
  LOCAL:REMOTE         addresses (pptpctrl passes them); either side may be empty
  ifname NAME          TUN device name (default ppp%d: the kernel picks ppp0, ppp1, ...)
  mtu N / mru N        TUN MTU (default 1400)
  pty 'COMMAND'        client side: run COMMAND (e.g. pptp SERVER --nolaunchpppd
                       --nohostroute) with a socketpair as its stdin/stdout and speak
                       PPP over the other end instead of our own stdin/stdout
  ip-up PATH           run PATH IFNAME TTY SPEED LOCAL REMOTE IPPARAM once IPCP is up
  defaultroute         add a default route over the tunnel once IPCP is up
  debug                log every PPP packet
  ipparam X, plugin X, pptpd-original-ip X, name X, user X, remotename X, password X,
  linkname X, unit N   accepted (with their argument) and ignored
Exits on LCP Terminate-Request, on EOF of the byte stream, or on SIGTERM/SIGINT (after
sending an LCP Terminate-Request). The log line "IPCP up: local A remote B ifname X"
marks the moment the tunnel carries IPv4.
"""
import fcntl
import os
import select
import shlex
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
import tty

# ---------------------------------------------------------------- options

ARG_WORDS = {"ipparam", "plugin", "pptpd-original-ip", "name", "user", "remotename",
             "password", "linkname", "unit", "pptp_client", "pptp_sock", "connect",
             "asyncmap", "lcp-echo-interval", "lcp-echo-failure", "idle", "maxfail",
             "holdoff", "ms-dns", "ms-wins", "remoteip"}


def tokenize_file(path):
    words = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            words.extend(shlex.split(line, comments=True))
    return words


def parse_args(argv):
    opt = {"logfile": None, "local": None, "remote": None, "ifname": "ppp%d",
           "mtu": 1400, "pty": None, "ip_up": None, "defaultroute": False,
           "debug": False, "ipparam": "", "speed": "", "args": list(argv)}
    words = list(argv)
    depth = 0
    while words:
        w = words.pop(0)
        if w == "file" and words:
            depth += 1
            if depth < 10:
                words[0:1] = tokenize_file(words[0])
            else:
                words.pop(0)
        elif w == "logfile" and words:
            opt["logfile"] = words.pop(0)
        elif w == "ifname" and words:
            opt["ifname"] = words.pop(0)
        elif w in ("mtu", "mru") and words:
            v = words.pop(0)
            if w == "mtu":
                opt["mtu"] = int(v)
        elif w == "pty" and words:
            opt["pty"] = words.pop(0)
        elif w == "ip-up" and words:
            opt["ip_up"] = words.pop(0)
        elif w == "defaultroute":
            opt["defaultroute"] = True
        elif w == "debug":
            opt["debug"] = True
        elif w == "ipparam" and words:
            opt["ipparam"] = words.pop(0)
        elif w in ARG_WORDS and words:
            words.pop(0)
        elif w.isdigit():
            opt["speed"] = w
        elif ":" in w and w.count(".") in (0, 3, 6):
            loc, _, rem = w.partition(":")
            try:
                if loc:
                    socket.inet_aton(loc)
                    opt["local"] = loc
                if rem:
                    socket.inet_aton(rem)
                    opt["remote"] = rem
            except OSError:
                pass
    return opt


# ---------------------------------------------------------------- logging

LOGF = None


def log(msg):
    t = time.time()
    line = "%s.%03d ppp-standin[%d]: %s\n" % (
        time.strftime("%H:%M:%S", time.localtime(t)), int(t * 1000) % 1000, os.getpid(), msg)
    try:
        LOGF.write(line)
        LOGF.flush()
    except Exception:
        pass


# ---------------------------------------------------------------- HDLC (RFC 1662)

def _fcs_table():
    tab = []
    for b in range(256):
        v = b
        for _ in range(8):
            v = (v >> 1) ^ 0x8408 if v & 1 else v >> 1
        tab.append(v)
    return tab


FCSTAB = _fcs_table()


def fcs16(data, fcs=0xFFFF):
    for b in data:
        fcs = (fcs >> 8) ^ FCSTAB[(fcs ^ b) & 0xFF]
    return fcs


def hdlc_encode(proto, payload):
    frame = bytes([0xFF, 0x03]) + struct.pack("!H", proto) + payload
    fcs = fcs16(frame) ^ 0xFFFF
    frame += struct.pack("<H", fcs)
    out = bytearray([0x7E])
    for b in frame:
        if b < 0x20 or b in (0x7E, 0x7D):
            out.append(0x7D)
            out.append(b ^ 0x20)
        else:
            out.append(b)
    out.append(0x7E)
    return bytes(out)


class HdlcDecoder:
    def __init__(self):
        self.buf = bytearray()
        self.esc = False
        self.bad = 0

    def feed(self, data):
        """Returns a list of (proto, payload) for complete frames with a good FCS."""
        frames = []
        for b in data:
            if b == 0x7E:
                if len(self.buf) >= 4:
                    f = self._finish(bytes(self.buf))
                    if f:
                        frames.append(f)
                self.buf.clear()
                self.esc = False
            elif b == 0x7D:
                self.esc = True
            else:
                if self.esc:
                    b ^= 0x20
                    self.esc = False
                self.buf.append(b)
                if len(self.buf) > 4000:  # runaway garbage without flags
                    self.buf.clear()
        return frames

    def _finish(self, frame):
        if fcs16(frame) != 0xF0B8:
            self.bad += 1
            log("dropping frame with bad FCS (%d bytes)" % len(frame))
            return None
        frame = frame[:-2]
        if frame[:2] == b"\xff\x03":  # address/control (may be compressed: ACFC)
            frame = frame[2:]
        if not frame:
            return None
        if frame[0] & 1:  # compressed protocol field (PFC)
            return frame[0], frame[1:]
        if len(frame) < 2:
            return None
        return (frame[0] << 8) | frame[1], frame[2:]


# ---------------------------------------------------------------- TUN

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def tun_open(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    ifr = struct.pack("16sH22x", name.encode(), IFF_TUN | IFF_NO_PI)
    ifr = fcntl.ioctl(fd, TUNSETIFF, ifr)
    return fd, ifr[:16].rstrip(b"\0").decode()


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log("run: %s -> %d %s" % (" ".join(cmd), r.returncode, r.stdout.strip()))
    return r.returncode


# ---------------------------------------------------------------- PPP

LCP, IPCP, IPV4 = 0xC021, 0x8021, 0x0021
CONF_REQ, CONF_ACK, CONF_NAK, CONF_REJ, TERM_REQ, TERM_ACK, CODE_REJ, PROTO_REJ, \
    ECHO_REQ, ECHO_REP, DISC_REQ = range(1, 12)
CODE_NAMES = {1: "Conf-Req", 2: "Conf-Ack", 3: "Conf-Nak", 4: "Conf-Rej", 5: "Term-Req",
              6: "Term-Ack", 7: "Code-Rej", 8: "Proto-Rej", 9: "Echo-Req", 10: "Echo-Rep",
              11: "Discard-Req"}
PROTO_NAMES = {LCP: "LCP", IPCP: "IPCP", IPV4: "IP"}
RESTART = 1.0    # seconds between Configure-Request retransmissions
MAX_CONF = 30    # Configure-Requests before giving up


def parse_opts(data):
    opts = []
    i = 0
    while i + 2 <= len(data):
        t, ln = data[i], data[i + 1]
        if ln < 2 or i + ln > len(data):
            return None
        opts.append((t, data[i + 2:i + ln]))
        i += ln
    return opts


def build_opts(opts):
    return b"".join(bytes([t, len(v) + 2]) + v for t, v in opts)


class Cp:
    """Negotiation state of one control protocol (LCP or IPCP)."""

    def __init__(self, name):
        self.name = name
        self.ack_rcvd = False
        self.ack_sent = False
        self.req_id = 0
        self.last_req = 0.0
        self.count = 0
        self.active = False

    @property
    def opened(self):
        return self.ack_rcvd and self.ack_sent

    def reset(self):
        self.ack_rcvd = self.ack_sent = False
        self.count = 0
        self.last_req = 0.0


class Ppp:
    def __init__(self, opt, rfd, wfd):
        self.opt = opt
        self.rfd, self.wfd = rfd, wfd
        self.dec = HdlcDecoder()
        self.magic = struct.unpack("!I", os.urandom(4))[0] or 1
        self.lcp = Cp("LCP")
        self.ipcp = Cp("IPCP")
        self.ident = 0
        self.local = opt["local"]          # our address (None: ask the peer)
        self.remote = opt["remote"]        # the address we assign to / expect of the peer
        self.ip_rejected = False
        self.tun = None
        self.ifname = None
        self.up = False
        self.done = None
        self.stats = {"ip_in": 0, "ip_out": 0}

    # -- output
    def send(self, proto, payload):
        data = hdlc_encode(proto, payload)
        view = memoryview(data)
        while view:
            try:
                n = os.write(self.wfd, view)
            except (BlockingIOError, InterruptedError):
                select.select([], [self.wfd], [], 1.0)
                continue
            view = view[n:]

    def send_cp(self, proto, code, ident, data):
        if self.opt["debug"] or code not in (ECHO_REQ, ECHO_REP):
            log("sent %s %s id=%d %s" % (PROTO_NAMES.get(proto, hex(proto)),
                                          CODE_NAMES.get(code, code), ident, data.hex()))
        self.send(proto, struct.pack("!BBH", code, ident, len(data) + 4) + data)

    def next_id(self):
        self.ident = (self.ident + 1) & 0xFF
        return self.ident

    # -- our Configure-Requests
    def lcp_request(self):
        self.lcp.req_id = self.next_id()
        self.send_cp(LCP, CONF_REQ, self.lcp.req_id, build_opts([(5, struct.pack("!I", self.magic))]))
        self.lcp.last_req = time.monotonic()
        self.lcp.count += 1
        self.lcp.active = True

    def ipcp_request(self):
        self.ipcp.req_id = self.next_id()
        opts = [] if self.ip_rejected else [(3, socket.inet_aton(self.local or "0.0.0.0"))]
        self.send_cp(IPCP, CONF_REQ, self.ipcp.req_id, build_opts(opts))
        self.ipcp.last_req = time.monotonic()
        self.ipcp.count += 1
        self.ipcp.active = True

    def timers(self):
        now = time.monotonic()
        for cp, req in ((self.lcp, self.lcp_request), (self.ipcp, self.ipcp_request)):
            if cp.active and not cp.ack_rcvd and now - cp.last_req >= RESTART:
                if cp.count >= MAX_CONF:
                    log("%s: no answer to %d Configure-Requests, giving up" % (cp.name, cp.count))
                    self.done = 2
                    return
                req()

    # -- input
    def input(self, data):
        for proto, payload in self.dec.feed(data):
            self.frame(proto, payload)
            if self.done is not None:
                return

    def frame(self, proto, payload):
        if proto == IPV4:
            if self.up:
                self.stats["ip_in"] += 1
                try:
                    os.write(self.tun, payload)
                except OSError as e:
                    log("tun write failed: %s" % e)
            return
        if proto in (LCP, IPCP):
            if len(payload) < 4:
                return
            code, ident, ln = struct.unpack("!BBH", payload[:4])
            data = payload[4:ln] if 4 <= ln <= len(payload) else payload[4:]
            if self.opt["debug"] or code not in (ECHO_REQ, ECHO_REP):
                log("rcvd %s %s id=%d %s" % (PROTO_NAMES[proto], CODE_NAMES.get(code, code),
                                              ident, data.hex()))
            if proto == LCP:
                self.lcp_input(code, ident, data)
            else:
                self.ipcp_input(code, ident, data)
            return
        # Anything else (CCP, IPv6CP, ...): Protocol-Reject once LCP is open.
        log("rcvd unsupported protocol 0x%04x, sending Protocol-Reject" % proto)
        if self.lcp.opened:
            self.send_cp(LCP, PROTO_REJ, self.next_id(),
                         struct.pack("!H", proto) + payload[:1400])

    def lcp_input(self, code, ident, data):
        if code == CONF_REQ:
            opts = parse_opts(data)
            if opts is None:
                return
            if self.lcp.opened:  # peer restarts negotiation
                log("LCP renegotiation")
                self.lcp.reset()
                self.ipcp.reset()
                self.ipcp.active = False
                self.lcp_request()
            elif not self.lcp.active:
                self.lcp_request()
            # Authentication (3), quality protocol (4) and callback (13) are not supported.
            rej = [(t, v) for t, v in opts if t in (3, 4, 13)]
            if rej:
                self.send_cp(LCP, CONF_REJ, ident, build_opts(rej))
                return
            self.send_cp(LCP, CONF_ACK, ident, data)
            self.lcp.ack_sent = True
            self.check_lcp_open()
        elif code == CONF_ACK:
            if ident == self.lcp.req_id and not self.lcp.ack_rcvd:
                self.lcp.ack_rcvd = True
                self.check_lcp_open()
        elif code in (CONF_NAK, CONF_REJ):
            if ident == self.lcp.req_id:
                # We ask only for a magic number; take a new one and ask again.
                self.magic = struct.unpack("!I", os.urandom(4))[0] or 1
                self.lcp_request()
        elif code == TERM_REQ:
            self.send_cp(LCP, TERM_ACK, ident, b"")
            log("peer sent LCP Terminate-Request: exiting")
            self.done = 0
        elif code == TERM_ACK:
            if self.done is None and self.lcp.opened:
                self.lcp.reset()
        elif code == ECHO_REQ:
            if self.lcp.opened or self.lcp.ack_sent:
                self.send_cp(LCP, ECHO_REP, ident, struct.pack("!I", self.magic) + data[4:])
        elif code in (ECHO_REP, DISC_REQ, CODE_REJ):
            pass
        elif code == PROTO_REJ:
            log("peer rejected protocol %s" % data[:2].hex())
        else:
            self.send_cp(LCP, CODE_REJ, self.next_id(),
                         struct.pack("!BBH", code, ident, len(data) + 4) + data)

    def check_lcp_open(self):
        if self.lcp.opened and not self.ipcp.active:
            log("LCP up (magic 0x%08x)" % self.magic)
            self.ipcp_request()

    def ipcp_input(self, code, ident, data):
        if not (self.lcp.opened or self.lcp.ack_sent):
            return
        if code == CONF_REQ:
            opts = parse_opts(data)
            if opts is None:
                return
            if not self.ipcp.active and self.lcp.opened:
                self.ipcp_request()
            rej = [(t, v) for t, v in opts if t != 3 or len(v) != 4]
            if rej:
                self.send_cp(IPCP, CONF_REJ, ident, build_opts(rej))
                return
            peer = None
            for t, v in opts:
                peer = socket.inet_ntoa(v)
            if peer is not None and self.remote and peer != self.remote:
                self.send_cp(IPCP, CONF_NAK, ident, build_opts([(3, socket.inet_aton(self.remote))]))
                return
            if peer == "0.0.0.0":
                # The peer wants an address and we have none to give.
                self.send_cp(IPCP, CONF_REJ, ident, build_opts([(3, socket.inet_aton(peer))]))
                return
            if peer is not None:
                self.remote = peer
            was = self.ipcp.opened
            self.send_cp(IPCP, CONF_ACK, ident, data)
            self.ipcp.ack_sent = True
            if not was:
                self.check_ipcp_open()
        elif code == CONF_ACK:
            if ident == self.ipcp.req_id and not self.ipcp.ack_rcvd:
                self.ipcp.ack_rcvd = True
                self.check_ipcp_open()
        elif code == CONF_NAK:
            if ident == self.ipcp.req_id:
                for t, v in parse_opts(data) or []:
                    if t == 3 and len(v) == 4:
                        self.local = socket.inet_ntoa(v)
                        log("IPCP: peer assigns us %s" % self.local)
                self.ipcp_request()
        elif code == CONF_REJ:
            if ident == self.ipcp.req_id:
                self.ip_rejected = True
                self.ipcp_request()
        elif code == TERM_REQ:
            self.send_cp(IPCP, TERM_ACK, ident, b"")
            self.ipcp_down()
            self.ipcp.reset()
        elif code == TERM_ACK:
            pass
        else:
            self.send_cp(IPCP, CODE_REJ, self.next_id(),
                         struct.pack("!BBH", code, ident, len(data) + 4) + data)

    def check_ipcp_open(self):
        if not self.ipcp.opened or self.up:
            return
        if not self.local or not self.remote:
            log("IPCP opened without both addresses (local %s remote %s): exiting"
                % (self.local, self.remote))
            self.done = 3
            return
        if self.tun is None:
            self.tun, self.ifname = tun_open(self.opt["ifname"])
            os.set_blocking(self.tun, False)
        ok = run(["ip", "link", "set", "dev", self.ifname, "mtu", str(self.opt["mtu"]), "up"]) == 0
        ok = run(["ip", "addr", "replace", self.local, "peer", self.remote + "/32",
                  "dev", self.ifname]) == 0 and ok
        if self.opt["defaultroute"]:
            run(["ip", "route", "replace", "default", "dev", self.ifname])
        if not ok:
            log("could not configure %s: exiting" % self.ifname)
            self.done = 4
            return
        self.up = True
        log("IPCP up: local %s remote %s ifname %s" % (self.local, self.remote, self.ifname))
        if self.opt["ip_up"]:
            subprocess.Popen([self.opt["ip_up"], self.ifname, "standin", self.opt["speed"] or "0",
                              self.local, self.remote, self.opt["ipparam"]],
                             stdin=subprocess.DEVNULL, stdout=LOGF, stderr=LOGF)

    def ipcp_down(self):
        if self.up:
            log("IPCP down")
        self.up = False

    def tun_input(self):
        while True:
            try:
                pkt = os.read(self.tun, 65536)
            except (BlockingIOError, InterruptedError):
                return
            if not pkt:
                return
            if self.up and pkt[0] >> 4 == 4:
                self.stats["ip_out"] += 1
                self.send(IPV4, pkt)

    def terminate(self, why):
        """Best-effort LCP Terminate-Request, waiting up to 1 s for the Ack."""
        log("terminating: %s" % why)
        if not self.lcp.opened:
            return
        tid = self.next_id()
        try:
            self.send_cp(LCP, TERM_REQ, tid, b"")
        except OSError:
            return
        end = time.monotonic() + 1.0
        dec_ok = True
        while dec_ok and time.monotonic() < end:
            r, _, _ = select.select([self.rfd], [], [], max(0.0, end - time.monotonic()))
            if not r:
                break
            try:
                data = os.read(self.rfd, 65536)
            except OSError:
                break
            if not data:
                break
            for proto, payload in self.dec.feed(data):
                if proto == LCP and len(payload) >= 4 and payload[0] in (TERM_ACK, TERM_REQ):
                    dec_ok = False


# ---------------------------------------------------------------- main

STOP = []


def on_signal(signum, _frame):
    STOP.append(signum)


def main():
    global LOGF
    opt = parse_args(sys.argv[1:])
    if opt["logfile"]:
        LOGF = open(opt["logfile"], "a", buffering=1)
        # stderr of a daemon child may be the pty or nothing: send it to the log.
        os.dup2(LOGF.fileno(), 2)
    else:
        LOGF = sys.stderr
    # pptpctrl ignores SIGCHLD, which exec keeps; subprocess needs it back.
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    log("start: args %s" % " ".join(opt["args"]))

    child = None
    if opt["pty"]:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        child = subprocess.Popen(["/bin/sh", "-c", "exec " + opt["pty"]], stdin=theirs,
                                 stdout=theirs, stderr=LOGF, close_fds=True)
        theirs.close()
        rfd = wfd = ours.detach()
        log("pty: started '%s' (pid %d)" % (opt["pty"], child.pid))
    else:
        rfd, wfd = 0, 1
        if os.isatty(rfd):
            tty.setraw(rfd, termios.TCSANOW)   # pptpctrl leaves the slave in cooked mode
    os.set_blocking(rfd, False)

    ppp = Ppp(opt, rfd, wfd)
    ppp.lcp_request()
    why = None
    while ppp.done is None:
        if STOP:
            why = "signal %d" % STOP[0]
            break
        fds = [rfd] + ([ppp.tun] if ppp.tun is not None else [])
        try:
            r, _, _ = select.select(fds, [], [], 0.2)
        except InterruptedError:
            continue
        if rfd in r:
            try:
                data = os.read(rfd, 65536)
            except (BlockingIOError, InterruptedError):
                data = None
            except OSError as e:   # EIO: the pty master was closed
                log("read: %s" % e)
                data = b""
            if data == b"":
                log("EOF on the PPP byte stream: exiting")
                ppp.done = 0
                break
            if data:
                ppp.input(data)
        if ppp.tun is not None and ppp.tun in r:
            ppp.tun_input()
        ppp.timers()
    if why:
        os.set_blocking(rfd, True)
        ppp.terminate(why)
    ppp.ipcp_down()
    log("exit %d (ip in %d, out %d, bad fcs %d)" % (ppp.done or 0, ppp.stats["ip_in"],
                                                   ppp.stats["ip_out"], ppp.dec.bad))
    if child is not None:
        try:
            os.close(rfd)
        except OSError:
            pass
        try:
            child.terminate()
            child.wait(timeout=3)
        except Exception:
            child.kill()
    return ppp.done or 0


if __name__ == "__main__":
    sys.exit(main())
