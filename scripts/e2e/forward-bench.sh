#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Side-by-side forwarding benchmark: the kernel's own forwarding + nftables masquerade
# (topo_kernel_nat) against one or more vpnmasqd builds, on the same namespace topology, in
# one run. Per round and configuration (kernel first, then each DLL, alternating so drift in
# machine load hits all of them alike), on a fresh topology: iperf3 UDP from c1 to the server
# at full rate (-b 0) with 64-byte and 1400-byte payloads, receiver packets/s and loss %, then
# 200 pings (avg/max RTT). Prints the median over rounds per configuration and each vpnmasqd
# build's median pps as a ratio of the kernel's. Absolute numbers on this noisy, shared
# 2-core machine swing a lot between runs; compare the ratios from ONE run, not across runs.
#
# usage: scripts/e2e/forward-bench.sh [--rounds N] [--seconds S] DLL...
#   e.g. scripts/e2e/forward-bench.sh /work/bench-before/Gateway.Node/bin/Release/net10.0/vpnmasqd.dll \
#          Gateway.Node/bin/Release/net10.0/vpnmasqd.dll
# KEEP=1 keeps the work directory (vpnmasqd logs, iperf3 JSON).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/topology.sh"

rounds=3 secs=10 dlls=()
while (($#)); do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) [[ -f $1 ]] || { echo "forward-bench: no such DLL: $1" >&2; exit 2; }
       dlls+=("$(realpath "$1")"); shift ;;
  esac
done
((${#dlls[@]})) || { echo "usage: $0 [--rounds N] [--seconds S] DLL..." >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ && $secs =~ ^[1-9][0-9]*$ ]] || { echo "forward-bench: bad --rounds/--seconds" >&2; exit 2; }
((EUID == 0)) || { echo "forward-bench: needs root (network namespaces)" >&2; exit 2; }

if ! command -v iperf3 >/dev/null; then
  echo "forward-bench: installing iperf3" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q iperf3 >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q iperf3 >/dev/null; } ||
    { echo "forward-bench: cannot install iperf3" >&2; exit 2; }
fi

work=$(mktemp -d /tmp/forward-bench.XXXXXX)
results=$work/results.tsv   # config round pps64 loss64 pps1400 loss1400 ping_avg ping_max
cur=""                       # prefix of the topology currently up, for the trap
cleanup() { [[ -z $cur ]] || topo_down "$cur" >/dev/null 2>&1; [[ ${KEEP:-0} == 1 ]] || rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# udp_run P LEN OUT: one iperf3 UDP run c1 -> server; prints "pps loss%" (or "NA NA").
udp_run() {
  local p=$1 len=$2 out=$3
  timeout $((secs + 30)) ip netns exec "$p-c1" iperf3 -c 199.0.0.1 -u -b 0 -l "$len" -t "$secs" --json >"$out" 2>&1
  python3 - "$out" <<'EOF'
import json, sys
try:
    end = json.load(open(sys.argv[1]))["end"]
    s = end.get("sum_received") or end["sum"]   # receiver side; 3.12 has both
    got = s["packets"] - s["lost_packets"]      # packets = highest sequence seen
    print(f'{got / s["seconds"]:.0f} {100.0 * s["lost_packets"] / max(s["packets"], 1):.2f}')
except Exception:
    print("NA NA")
EOF
}

# measure CONFIG ROUND: CONFIG is "kernel" or an index into dlls; appends one line to $results.
measure() {
  local cfg=$1 round=$2 p; p=$(topo_prefix)
  local name=kernel; [[ $cfg == kernel ]] || name=vpnmasqd$((cfg + 1))
  local log=$work/$name-r$round
  cur=$p
  topo_up "$p" 2>/dev/null || { echo "forward-bench: topo_up $p failed" >&2; return 1; }
  if [[ $cfg == kernel ]]; then
    topo_kernel_nat "$p" || return 1
  else
    ip netns exec "$p-gw" dotnet "${dlls[cfg]}" run --inside eth0 --outside eth1 --manage-kernel \
      --Masquerade:PublicAddress=auto --Cluster:Port=0 --Persistence:Provider=memory >"$log.log" 2>&1 &
    e2e_wait 90 grep -q "vpnmasqd: forwarding" "$log.log" ||
      { echo "forward-bench: $name never reached forwarding (log: $log.log)" >&2; tail -5 "$log.log" >&2; return 1; }
  fi
  # warm up: owner, ARP, flows; then a burst of pings
  e2e_wait 30 ip netns exec "$p-c1" ping -q -c 1 -W 1 199.0.0.1 || { echo "forward-bench: $name: no ping through" >&2; return 1; }
  ip netns exec "$p-c1" ping -q -c 20 -i 0.01 -W 2 199.0.0.1 >/dev/null 2>&1
  ip netns exec "$p-srv" iperf3 -s -B 199.0.0.1 >/dev/null 2>&1 &
  e2e_wait 10 sh -c "ip netns exec $p-srv ss -ltn | grep -q 199.0.0.1:5201" || { echo "forward-bench: iperf3 server not up" >&2; return 1; }
  local r64 r1400 rtt
  r64=$(udp_run "$p" 64 "$log-64.json")
  r1400=$(udp_run "$p" 1400 "$log-1400.json")
  # "rtt min/avg/max/mdev = a/b/c/d ms" -> "avg max"
  rtt=$(timeout 60 ip netns exec "$p-c1" ping -q -c 200 -i 0.005 -W 2 199.0.0.1 2>/dev/null |
        awk -F'[/ =]+' '/^rtt/ {print $7, $8}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "${r64// /$'\t'}" "${r1400// /$'\t'}" "${rtt:-NA NA}" |
    tr ' ' '\t' >>"$results"
  # shellcheck disable=SC2086 # r64/r1400 are "pps loss", split on purpose
  printf '  round %d %-10s 64B %s pps (loss %s%%)  1400B %s pps (loss %s%%)  ping avg/max %s ms\n' \
    "$round" "$name" ${r64} ${r1400} "${rtt:-NA NA}" >&2
}

echo "forward-bench: $rounds round(s) x $secs s; kernel + ${#dlls[@]} vpnmasqd build(s)" >&2
for i in "${!dlls[@]}"; do echo "  vpnmasqd$((i + 1)) = ${dlls[i]}" >&2; done
for ((r = 1; r <= rounds; r++)); do
  for cfg in kernel "${!dlls[@]}"; do
    measure "$cfg" "$r" || { name=kernel; [[ $cfg == kernel ]] || name=vpnmasqd$((cfg + 1))
      printf '%s\t%s\tNA\tNA\tNA\tNA\tNA\tNA\n' "$name" "$r" >>"$results"; }
    topo_down "$cur" >/dev/null 2>&1; cur=""
  done
done

echo
for i in "${!dlls[@]}"; do echo "vpnmasqd$((i + 1)) = ${dlls[i]}"; done
python3 - "$results" "$rounds" <<'EOF'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
cfgs = list(dict.fromkeys(r[0] for r in rows))
def med(cfg, col):
    v = [float(r[col]) for r in rows if r[0] == cfg and r[col] != "NA"]
    return statistics.median(v) if v else None
def f(x, fmt):
    return "NA" if x is None else format(x, fmt)
print(f"median over {sys.argv[2]} round(s)")
print(f'{"config":<11}{"pps 64B":>11}{"loss%":>7}{"pps 1400B":>11}{"loss%":>7}{"ping avg":>10}{"ping max":>10}{"x kern 64B":>12}{"x kern 1400B":>14}')
k64, k1400 = med("kernel", 2), med("kernel", 4)
for c in cfgs:
    p64, p1400 = med(c, 2), med(c, 4)
    r64 = p64 / k64 if p64 and k64 else None
    r1400 = p1400 / k1400 if p1400 and k1400 else None
    print(f'{c:<11}{f(p64, ".0f"):>11}{f(med(c, 3), ".2f"):>7}{f(p1400, ".0f"):>11}{f(med(c, 5), ".2f"):>7}'
          f'{f(med(c, 6), ".3f"):>10}{f(med(c, 7), ".3f"):>10}{f(r64, ".3f"):>12}{f(r1400, ".3f"):>14}')
EOF
