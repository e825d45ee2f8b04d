#!/usr/bin/env bash
# Measures what libpcap settings do to latency through vpnmasqd: 200 pings from an inside
# client to the server through the gateway, with immediate mode on and off (and the read
# timeout that then decides delivery), in one run on one machine. Prints avg/max RTT per setting.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/e2e/topology.sh
dll=$PWD/Gateway.Node/bin/Release/net10.0/vpnmasqd.dll

measure() {
  local label=$1; shift
  local p; p=$(topo_prefix)
  topo_up "$p" 2>/dev/null
  local dir=/tmp/vpnmasq-capture/$p; mkdir -p "$dir"
  ip netns exec "$p-gw" dotnet "$dll" run --inside eth0 --outside eth1 --manage-kernel --Masquerade:PublicAddress=auto \
    --Cluster:Port=0 --Persistence:Provider=memory "$@" >"$dir/log" 2>&1 &
  e2e_wait 90 grep -q "vpnmasqd: forwarding" "$dir/log"
  ip netns exec "$p-c1" ping -q -c 20 -i 0.01 -W 2 199.0.0.1 >/dev/null || true   # warm up: owner, ARP, flows
  local rtt; rtt=$(ip netns exec "$p-c1" ping -q -c 200 -i 0.01 -W 2 199.0.0.1 | tail -1)
  printf '%-44s %s\n' "$label" "$rtt"
  topo_down "$p" >/dev/null 2>&1
}

measure "immediate mode (default)"
measure "no immediate mode, read timeout 100 ms" --Capture:Immediate=false --Capture:ReadTimeoutMilliseconds=100
measure "no immediate mode, read timeout 10 ms" --Capture:Immediate=false --Capture:ReadTimeoutMilliseconds=10
measure "immediate mode, 1 MB buffer" --Capture:BufferMegabytes=1
