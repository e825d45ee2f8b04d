#!/usr/bin/env bash
# Self-test of scripts/pptp: real PPTP sessions (pptpd + pptp-linux + ppp-standin.py)
# between network namespaces, each with a random name prefix, always torn down.
#   direct: server 199.0.0.1/24 <-veth-> client 199.0.0.2/24, one session, ping -c 3.
#   nat:    two clients 10.0.0.2, 10.0.0.3 behind a gateway (10.0.0.1 / 200.200.200.200,
#           nftables masquerade + ct helper "pptp" on TCP 1723) to one server 199.0.0.1
#           that routes 200.200.200.0/24 on-link; both sessions up at once, both ping.
# Usage: selftest.sh [direct|nat|all]  (default all). Needs root, pptpd, pptp-linux,
# iproute2, nftables, iputils-ping. Prints PASS/FAIL per variant; exit 0 when all pass.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=pptp.sh
source "$HERE/pptp.sh"

WHICH=${1:-all}
T0=$(date +%s.%N)
ts() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%6.2fs", b - a }'; }
say() { echo "[$(ts)] $*"; }

P=""          # current prefix
NSES=()       # namespaces of the current variant

teardown() {
  local ns p i
  [[ -n $P ]] || return 0
  # Clients first (reverse order of creation), so that they can still say goodbye.
  for ((i = ${#NSES[@]} - 1; i >= 0; i--)); do pptp_stop "$P" "${NSES[i]}"; done
  for ns in "${NSES[@]}"; do
    # Anything else still running in the namespace (nothing should be).
    p=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
    # shellcheck disable=SC2086
    [[ -n ${p// } ]] && kill -KILL $p 2>/dev/null
  done
  for ns in "${NSES[@]}"; do ip netns del "$ns" 2>/dev/null; done
  # PPTP_SELFTEST_KEEP=1 keeps the logs under $PPTP_STATE_ROOT/PREFIX for a post-mortem.
  if [[ ${PPTP_SELFTEST_KEEP:-0} == 1 ]]; then say "  logs kept in $PPTP_STATE_ROOT/$P"
  else rm -rf "${PPTP_STATE_ROOT:?}/$P"; fi
  P=""; NSES=()
}
trap teardown EXIT
trap 'exit 130' INT TERM

new_prefix() { P="pt$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"; }

mkns() {
  local ns="$P-$1"
  ip netns add "$ns" || return 1
  NSES+=("$ns")
  ip netns exec "$ns" sh -c 'ip link set lo up
    sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0'
}

# veth NS1 IF1 NS2 IF2
veth() {
  ip link add "$2" netns "$P-$1" type veth peer name "$4" netns "$P-$3" &&
    ip -n "$P-$1" link set "$2" up && ip -n "$P-$3" link set "$4" up
}

tunnel_rx() {  # NS: IPv4 packets received on its ppp* devices
  ip -n "$1" -j -s link show 2>/dev/null | /usr/bin/python3 -c 'import json, sys
print(sum(l["stats64"]["rx"]["packets"] for l in json.load(sys.stdin) if l["ifname"].startswith("ppp")))'
}

ping_through() {  # NS NAME DST
  local out
  if out=$(ip netns exec "$1" ping -c 3 -i 0.2 -W 2 "$3" 2>&1); then
    say "  $2: $(echo "$out" | grep -E 'packets transmitted|rtt')" | tr '\n' ' '; echo
    return 0
  fi
  say "  $2: ping $3 failed:"; printf '    %s\n' "$out"
  return 1
}

variant_direct() {
  new_prefix
  say "direct: prefix $P"
  mkns srv && mkns cli || return 1
  veth srv "${P}s" cli "${P}c" || return 1
  ip -n "$P-srv" addr add 199.0.0.1/24 dev "${P}s"
  ip -n "$P-cli" addr add 199.0.0.2/24 dev "${P}c"
  say "  topology up"
  pptp_server_up "$P" "$P-srv" 192.168.200.1 192.168.200.10-19 || return 1
  say "  pptpd listening in $P-srv"
  local addr
  addr=$(pptp_client_up "$P" "$P-cli" 199.0.0.1 c1) || return 1
  say "  session up: client tunnel address $addr"
  ping_through "$P-cli" c1 192.168.200.1 || { pptp_dump_logs "$P" "$P-srv"; return 1; }
  # Full-size packets whose payload is all HDLC flag/escape/control bytes (0x7e 0x7d 0x11
  # 0x00): each of them is escaped on the pty and the socket, so this checks the framing.
  local out
  if out=$(ip netns exec "$P-cli" ping -c 3 -i 0.2 -W 2 -s 1372 -M "do" -p 7e7d1100 192.168.200.1 2>&1); then
    say "  c1 (1400-byte packets, pattern 7e7d1100): $(echo "$out" | grep 'packets transmitted')"
  else
    say "  c1: large ping failed:"; printf '    %s\n' "$out"; pptp_dump_logs "$P" "$P-srv"; return 1
  fi
  local rx
  rx=$(tunnel_rx "$P-srv")
  say "  server received $rx IPv4 packets on its ppp device"
  ((rx >= 6)) || return 1
}

variant_nat() {
  new_prefix
  say "nat: prefix $P"
  mkns srv && mkns gw && mkns c1 && mkns c2 || return 1
  veth srv "${P}s" gw "${P}go" || return 1
  veth c1 "${P}a" gw "${P}ga" || return 1
  veth c2 "${P}b" gw "${P}gb" || return 1
  ip -n "$P-gw" link add "${P}br" type bridge && ip -n "$P-gw" link set "${P}br" up
  ip -n "$P-gw" link set "${P}ga" master "${P}br"
  ip -n "$P-gw" link set "${P}gb" master "${P}br"
  ip -n "$P-gw" addr add 10.0.0.1/24 dev "${P}br"
  ip -n "$P-gw" addr add 200.200.200.200/24 dev "${P}go"
  ip -n "$P-gw" route add 199.0.0.0/24 dev "${P}go"
  ip netns exec "$P-gw" sysctl -qw net.ipv4.ip_forward=1
  ip -n "$P-srv" addr add 199.0.0.1/24 dev "${P}s"
  ip -n "$P-srv" route add 200.200.200.0/24 dev "${P}s"
  ip -n "$P-c1" addr add 10.0.0.2/24 dev "${P}a"
  ip -n "$P-c1" route add default via 10.0.0.1
  ip -n "$P-c2" addr add 10.0.0.3/24 dev "${P}b"
  ip -n "$P-c2" route add default via 10.0.0.1
  # PPTP_NAT_HELPER=0 leaves the helper out (to see the kernel's behaviour without it).
  local helper_rule='tcp dport 1723 ct helper set "pptp-1723"'
  [[ ${PPTP_NAT_HELPER:-1} == 1 ]] || helper_rule=""
  ip netns exec "$P-gw" nft -f - <<EOF || return 1
table ip pptpnat {
  ct helper pptp-1723 {
    type "pptp" protocol tcp
    l3proto ip
  }
  chain pre {
    type filter hook prerouting priority filter; policy accept;
    $helper_rule
  }
  chain post {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "${P}go" masquerade
  }
}
EOF
  say "  topology up (gateway masquerade + ct helper pptp)"
  pptp_server_up "$P" "$P-srv" 192.168.200.1 192.168.200.10-19 || return 1
  say "  pptpd listening in $P-srv"
  local a1 a2 ok=0
  a1=$(pptp_client_up "$P" "$P-c1" 199.0.0.1 c1) || return 1
  say "  session c1 up: tunnel address $a1"
  a2=$(pptp_client_up "$P" "$P-c2" 199.0.0.1 c2) || return 1
  say "  session c2 up: tunnel address $a2"
  [[ $a1 != "$a2" ]] || { say "  both clients got $a1"; return 1; }
  ping_through "$P-c1" c1 192.168.200.1 || ok=1
  ping_through "$P-c2" c2 192.168.200.1 || ok=1
  # The server must see both sessions coming from the gateway's outside address.
  local ctl
  ctl=$(ip netns exec "$P-srv" ss -Htn state established 'sport = :1723' | awk '{print $4}' | sort | tr '\n' ' ')
  say "  server's PPTP control connections from: $ctl"
  ((ok == 0)) || { pptp_dump_logs "$P" "$P-srv"; return 1; }
  local rx
  rx=$(tunnel_rx "$P-srv")
  say "  server received $rx IPv4 packets on its ppp devices"
  ((rx >= 6)) || return 1
  say "  gateway conntrack: $(ip netns exec "$P-gw" conntrack -L 2>/dev/null | grep -cE 'gre|1723') GRE/1723 entries"
}

run_variant() {
  local name=$1 start rc
  start=$(date +%s.%N)
  "variant_$name"; rc=$?
  local dur
  dur=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  if ((rc == 0)); then say "PASS $name (${dur}s)"; else say "FAIL $name (${dur}s)"; fi
  teardown
  say "  torn down"
  return $rc
}

fails=0
case $WHICH in
  direct|nat) run_variant "$WHICH" || fails=$((fails + 1)) ;;
  all) run_variant direct || fails=$((fails + 1))
       run_variant nat || fails=$((fails + 1)) ;;
  *) echo "usage: $0 [direct|nat|all]" >&2; exit 2 ;;
esac
if ((fails)); then say "selftest: FAIL ($fails failed)"; exit 1; fi
say "selftest: PASS"
