#!/usr/bin/env python3
"""Turns bench/run's raw measurements into the Markdown report.

usage: report.py RAWDIR CLK_TCK NDLLS
RAWDIR/<config>/<round>/ holds, per test, <test>.gen.json (udpgen), <test>.sink.json (udpsink),
<test>.{0,1}.dev (/proc/net/dev of c1, gw, srv, net), .snmp (server's UDP MIB), .softnet, .ctr
(vpnmasqd /counters), plus cpu.{idle,run}{0,1}, ping.txt, rss-idle, rss-after.
"""
import json
import math
import os
import re
import statistics
import sys

raw, hz, ndlls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
configs = ["kernel"] + [f"vpnmasqd{i + 1}" for i in range(ndlls)]
UDP_TESTS = [("u64", "64 B, 1 established flow"), ("u1400", "1400 B, 1 established flow"),
             ("est1000", "64 B, 1000 established flows"), ("new1000", "64 B, 1000 new flows")]
ALL_TESTS = UDP_TESTS + [("cpu50k", "64 B at 50 kpps (CPU test)"),
                         ("burst1", "burst: 5000 new flows, 1 remote"), ("burst100", "burst: 5000 new flows, 100 remotes")]


def load_json(path):
    try:
        with open(path) as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except Exception:
        return None


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def dev(path):
    """{(ns, iface): (rx_packets, rx_drop, tx_packets, tx_drop)}"""
    text, out, ns = read(path), {}, None
    if text is None:
        return None
    for line in text.splitlines():
        if line.startswith("## "):
            ns = line[3:].strip()
        elif ":" in line and "|" not in line:
            name, rest = line.split(":", 1)
            v = [int(x) for x in rest.split()]
            out[(ns, name.strip())] = (v[1], v[3], v[9], v[11])
    return out


def snmp_udp(path):
    text = read(path)
    if text is None:
        return None
    lines = [l.split() for l in text.splitlines() if l.startswith("Udp:")]
    return dict(zip(lines[0][1:], map(int, lines[1][1:]))) if len(lines) >= 2 else None


def softnet_drops(path):
    text = read(path)
    return None if text is None else sum(int(l.split()[1], 16) for l in text.splitlines() if l.strip())


def counters(path):
    c = load_json(path)
    return c if isinstance(c, dict) else None


def delta(a, b):
    return None if a is None or b is None else b - a


def test_round(d, t):
    """Everything one test measured in one round, as a flat dict (None where unknown)."""
    g, s = load_json(f"{d}/{t}.gen.json"), load_json(f"{d}/{t}.sink.json")
    r = {"sent": g and g["sent"], "send_errors": g and g["send_errors"], "gen_elapsed": g and g["elapsed"],
         "received": s and s["received"], "flows": s and s["flows"], "span": s and s["span"],
         "pps": s and s["pps"], "tool_cpu": None}
    if g and s:
        r["tool_cpu"] = g["utime"] + g["stime"] + s["utime"] + s["stime"]
    if r["sent"] and r["received"] is not None:
        r["loss"] = 100.0 * max(r["sent"] - r["received"], 0) / r["sent"]
    else:
        r["loss"] = None
    r["rate"] = r["received"] / r["span"] if r["received"] and r["span"] else None
    d0, d1 = dev(f"{d}/{t}.0.dev"), dev(f"{d}/{t}.1.dev")

    def dv(key, i):
        return None if not d0 or not d1 or key not in d0 or key not in d1 else d1[key][i] - d0[key][i]
    r["c1_tx"], r["c1_txdrop"] = dv(("c1", "eth0"), 2), dv(("c1", "eth0"), 3)
    r["gwin_rx"], r["gwin_rxdrop"] = dv(("gw", "eth0"), 0), dv(("gw", "eth0"), 1)
    r["gwout_tx"], r["gwout_txdrop"] = dv(("gw", "eth1"), 2), dv(("gw", "eth1"), 3)
    r["srv_rx"], r["srv_rxdrop"] = dv(("srv", "eth0"), 0), dv(("srv", "eth0"), 1)
    r["net_drops"] = None
    if d0 and d1:
        r["net_drops"] = sum((d1[k][1] - d0[k][1]) + (d1[k][3] - d0[k][3]) for k in d1 if k[0] == "net" and k in d0)
    u0, u1 = snmp_udp(f"{d}/{t}.0.snmp"), snmp_udp(f"{d}/{t}.1.snmp")
    r["sink_drops"] = None if not u0 or not u1 else u1["InErrors"] - u0["InErrors"]  # includes RcvbufErrors
    r["softnet_drops"] = delta(softnet_drops(f"{d}/{t}.0.softnet"), softnet_drops(f"{d}/{t}.1.softnet"))
    c0, c1 = counters(f"{d}/{t}.0.ctr"), counters(f"{d}/{t}.1.ctr")
    r["vm"] = None if c0 is None or c1 is None else {k: v - c0.get(k, 0) for k, v in c1.items() if v - c0.get(k, 0)}
    return r


def cpu_sample(path):
    text = read(path)
    if text is None:
        return None
    lines = text.splitlines()
    f = [int(x) for x in lines[1].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq = f[:7]
    steal = f[7] if len(f) > 7 else 0
    pid = lines[2].split()
    return {"t": float(lines[0]), "sys": system + irq + softirq, "busy": user + nice + system + irq + softirq + steal,
            "pid": int(pid[1]) + int(pid[2])}


def cpu_round(d, is_kernel):
    """µs of CPU per delivered packet at 50 kpps: (gateway, whole machine), idle baseline subtracted."""
    i0, i1, i2, i3, r0, r1 = (cpu_sample(f"{d}/cpu.{n}") for n in ("idle0", "idle1", "idle2", "idle3", "run0", "run1"))
    s = load_json(f"{d}/cpu50k.sink.json")
    if not all((i0, i1, r0, r1, s)) or not s["received"]:
        return None, None
    idle = [(i0, i1)] + ([(i2, i3)] if i2 and i3 else [])  # baselines before and after the run
    di, dr, n = sum(b["t"] - a["t"] for a, b in idle), r1["t"] - r0["t"], s["received"]

    def net(key):
        return (r1[key] - r0[key]) - sum(b[key] - a[key] for a, b in idle) * dr / di

    gw = net("sys") if is_kernel else net("pid")
    return 1e6 * gw / hz / n, 1e6 * net("busy") / hz / n


def ping_round(d):
    text = read(f"{d}/ping.txt")
    if text is None:
        return None
    times = sorted(float(m) for m in re.findall(r"time=([0-9.]+) ms", text))
    if not times:
        return {"avg": None, "p99": None, "max": None, "replies": 0}
    p99 = times[max(math.ceil(0.99 * len(times)) - 1, 0)]
    return {"avg": statistics.fmean(times), "p99": p99, "max": times[-1], "replies": len(times)}


def rss(d, name):
    text = read(f"{d}/{name}")
    try:
        v = int(text.strip())
        return v / 1024 if v else None
    except (AttributeError, ValueError):
        return None


data = {}  # config -> list of per-round dicts
for c in configs:
    rounds = []
    base = os.path.join(raw, c)
    for rd in sorted(os.listdir(base), key=int) if os.path.isdir(base) else []:
        d = os.path.join(base, rd)
        row = {t: test_round(d, t) for t, _ in ALL_TESTS}
        row["cpu_gw"], row["cpu_machine"] = cpu_round(d, c == "kernel")
        row["ping"] = ping_round(d)
        row["rss_idle"], row["rss_after"] = rss(d, "rss-idle"), rss(d, "rss-after")
        row["round"] = int(rd)
        row["died"] = (read(f"{d}/died") or "").strip() or None
        rounds.append(row)
    data[c] = rounds


def med(c, get):
    vals = []
    for row in data[c]:
        try:
            v = get(row)
        except (KeyError, TypeError):
            v = None
        if v is not None:
            vals.append(v)
    return statistics.median(vals) if vals else None


def fmt(v, spec):
    return "–" if v is None else format(v, spec)


# metric rows: (label, getter, format, "higher" | "lower" | None for which is better; ratio shown for all but None)
rows = []
for t, label in UDP_TESTS:
    rows.append((f"{label}: received pps", lambda r, t=t: r[t]["rate"], ",.0f", "higher"))
    rows.append((f"{label}: loss %", lambda r, t=t: r[t]["loss"], ".2f", None))
rows += [
    ("CPU per packet at 50 kpps, gateway: µs", lambda r: r["cpu_gw"], ".2f", "lower"),
    ("CPU per packet at 50 kpps, whole machine: µs", lambda r: r["cpu_machine"], ".2f", "lower"),
    ("ping avg: ms", lambda r: r["ping"]["avg"], ".3f", "lower"),
    ("ping p99: ms", lambda r: r["ping"]["p99"], ".3f", "lower"),
    ("ping max: ms", lambda r: r["ping"]["max"], ".3f", "lower"),
    ("ping replies (of 500)", lambda r: r["ping"]["replies"], ".0f", None),
    ("burst 5000 new flows, 1 remote: delivered", lambda r: r["burst1"]["received"], ".0f", "higher"),
    ("burst 5000 new flows, 1 remote: flows/s", lambda r: r["burst1"]["rate"], ",.0f", "higher"),
    ("burst 5000 new flows, 100 remotes: delivered", lambda r: r["burst100"]["received"], ".0f", "higher"),
    ("burst 5000 new flows, 100 remotes: flows/s", lambda r: r["burst100"]["rate"], ",.0f", "higher"),
    ("vpnmasqd RSS idle after start: MB", lambda r: r["rss_idle"], ".0f", None),
    ("vpnmasqd RSS after the runs: MB", lambda r: r["rss_after"], ".0f", None),
]

def ratio_text(r):
    """Two decimals, or two significant digits for small ratios (0.0026×, not 0.00×)."""
    return f"{r:.2f}×" if abs(r) >= 0.1 else f"{r:.2g}×"


nrounds = max((len(v) for v in data.values()), default=0)
print(f"## Medians over {nrounds} round(s)\n")
head = "| metric | kernel |" + "".join(f" {c} | {c} ÷ kernel |" for c in configs[1:])
print(head)
print("|" + "---|" * (2 + 2 * ndlls))
for label, get, spec, better in rows:
    k = med("kernel", get)
    line = f"| {label} | {fmt(k, spec)} |"
    for c in configs[1:]:
        v = med(c, get)
        ratio = "" if better is None or v is None or not k else ratio_text(v / k)
        line += f" {fmt(v, spec)} | {ratio} |"
    print(line)
print()
print("Rates: ratio > 1 means vpnmasqd delivered more than the kernel. CPU and latency: ratio > 1 means vpnmasqd"
      " used more CPU / took longer. Received pps = datagrams the sink got ÷ time from its first to its last"
      " arrival; loss = (generator sent − sink received) ÷ sent. CPU, gateway: for vpnmasqd its process's"
      " utime+stime (/proc/PID/stat) during the 50 kpps run minus the same process's idle rate measured just"
      " before, ÷ packets delivered; for the kernel the whole machine's system+irq+softirq time (/proc/stat)"
      " during the run minus an idle baseline measured the same way, ÷ packets delivered (this includes the"
      " generator's and sink's own syscalls and the veth/bridge path, so it overstates the kernel's forwarding"
      " cost). CPU, whole machine: all non-idle time (/proc/stat) minus the idle baseline, ÷ packets delivered, the"
      " same for every configuration (includes generator, sink, veths and the noise of other jobs). Bursts:"
      " flows/s = datagrams delivered ÷ time from first to last arrival, each datagram a new source port.\n")

# where frames went, per test: medians over rounds
print("## Where frames went (medians over rounds)\n")
print("sent = accepted by the generator's sendmmsg; send err = datagrams it refused (skipped); c1→gw lost ="
      " c1 eth0 tx − gateway eth0 rx (veth/bridge drops, incl. `net` drops); gw lost = gateway eth0 rx −"
      " eth1 tx (inside the gateway: the kernel's stack, or vpnmasqd incl. its capture ring); sink drops ="
      " server UDP InErrors (which include RcvbufErrors); softnet = machine-wide backlog drops. vpnmasqd counters: deltas of"
      " `/counters` over the test, summed over rounds (`forward` counts both directions).\n")
print("| test | config | sent | send err | c1→gw lost | gw eth0 rx drop | gw lost | gw eth1 tx | sink received | sink drops | softnet | vpnmasqd counters |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for t, label in ALL_TESTS:
    for c in configs:
        def m(key, t=t, c=c):
            return med(c, lambda r: r[t][key])
        c1gw = med(c, lambda r, t=t: r[t]["c1_tx"] - r[t]["gwin_rx"])
        gwl = med(c, lambda r, t=t: r[t]["gwin_rx"] - r[t]["gwout_tx"])
        vm = {}
        for row in data[c]:
            for k, v in (row[t]["vm"] or {}).items():
                vm[k] = vm.get(k, 0) + v
        vms = ", ".join(f"{k} {v}" for k, v in sorted(vm.items())) if vm else ("–" if c == "kernel" else "none / unreachable")
        print(f"| {label} | {c} | {fmt(m('sent'), '.0f')} | {fmt(m('send_errors'), '.0f')} | {fmt(c1gw, '.0f')} |"
              f" {fmt(m('gwin_rxdrop'), '.0f')} | {fmt(gwl, '.0f')} | {fmt(m('gwout_tx'), '.0f')} |"
              f" {fmt(m('received'), '.0f')} | {fmt(m('sink_drops'), '.0f')} | {fmt(m('softnet_drops'), '.0f')} | {vms} |")
print()

died = [(c, r["round"], r["died"]) for c in configs for r in data[c] if r["died"]]
if died:
    print("## Incomplete runs\n")
    for c, rd, t in died:
        print(f"- **{c}, round {rd}: vpnmasqd was gone after test `{t}`**; the tests after it were not run "
              "(look for a SIGTERM from elsewhere: its log says `vpnmasqd: stopping`). Medians use the other rounds.")
    print()

print("## Per round\n")
print("| config | round | 64 B pps | 1400 B pps | 1000 est pps | 1000 new pps | CPU gw µs | CPU machine µs | ping avg/p99/max ms | burst1 delivered, flows/s | burst100 delivered, flows/s | RSS idle/after MB |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for c in configs:
    for r in data[c]:
        p = r["ping"] or {}
        print(f"| {c} | {r['round']} | {fmt(r['u64']['rate'], ',.0f')} | {fmt(r['u1400']['rate'], ',.0f')} |"
              f" {fmt(r['est1000']['rate'], ',.0f')} | {fmt(r['new1000']['rate'], ',.0f')} | {fmt(r['cpu_gw'], '.2f')} |"
              f" {fmt(r['cpu_machine'], '.2f')} | {fmt(p.get('avg'), '.3f')}/{fmt(p.get('p99'), '.3f')}/{fmt(p.get('max'), '.3f')} |"
              f" {fmt(r['burst1']['received'], '.0f')}, {fmt(r['burst1']['rate'], ',.0f')} |"
              f" {fmt(r['burst100']['received'], '.0f')}, {fmt(r['burst100']['rate'], ',.0f')} |"
              f" {fmt(r['rss_idle'], '.0f')}/{fmt(r['rss_after'], '.0f')} |")
