# shellcheck shell=bash source-path=SCRIPTDIR
# Network-namespace topology for end-to-end tests and the demo. Source it; it only defines
# functions. Every name derives from PREFIX, so concurrent runs with different prefixes
# never touch each other.
#
#   PREFIX-c1  eth0 10.0.0.2/24 ─┐                       ┌─ eth0 199.0.0.1/24       PREFIX-srv
#   PREFIX-c2  eth0 10.0.0.3/24 ─┤ bridge "lan"  "wan" ─┤   lo   192.168.100.1/32
#   PREFIX-gw  eth0 10.0.0.1/24 ─┘                       └─ eth1 200.200.200.200/24 PREFIX-gw
#
# Both bridges live in their own namespace PREFIX-net (the "switches"), so the gateway has
# two plain veth interfaces, like a real box with eth0 inside and eth1 outside: a capture on
# them sees exactly what crosses the gateway, and nothing else runs in PREFIX-gw's stack
# beyond what the test starts there. Veths are created directly inside their namespaces,
# so interface names are fixed and short (never clash in the root namespace).
# The server routes 200.200.200.0/24 on-link and the gateway 199.0.0.0/24, both over "wan".

_topo_dir=$(dirname "${BASH_SOURCE[0]}")
source "$_topo_dir/common.sh"

TOPO_ROLES=(c1 c2 gw srv net)

# topo_prefix: print a fresh random prefix ("vm" + 6 hex digits).
topo_prefix() { echo "vm$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"; }

_topo_check_prefix() {
  [[ ${1:-} =~ ^[A-Za-z0-9_]{1,40}$ ]] || { echo "topology: bad PREFIX '${1:-}'" >&2; return 1; }
}

# Turn off reverse-path filtering (effective value is max(all, iface)) and IPv6 (keeps
# router solicitations and DAD out of captures) in one namespace.
_topo_sysctls() {
  local ns=$1
  # shellcheck disable=SC2016 # $f expands in the inner shell
  ip netns exec "$ns" sh -c '
    sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 > "$f"; done'
}

# _topo_link NS IF PEER_NS PEER_IF: veth pair with both ends created inside namespaces.
_topo_link() {
  ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" &&
    ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# topo_up PREFIX: build the topology. Sets (and exports) TOPO_PREFIX, TOPO_GW_IN=eth0,
# TOPO_GW_OUT=eth1, TOPO_NS_{C1,C2,GW,SRV,NET}. Fails if PREFIX is already in use.
topo_up() {
  local p=$1 r
  _topo_check_prefix "$p" || return 1
  for r in "${TOPO_ROLES[@]}"; do
    [[ ! -e /run/netns/$p-$r ]] || { echo "topology: $p-$r already exists" >&2; return 1; }
  done
  for r in "${TOPO_ROLES[@]}"; do
    ip netns add "$p-$r" || return 1
    ip -n "$p-$r" link set lo up || return 1
  done
  {
    ip -n "$p-net" link add lan type bridge && ip -n "$p-net" link set lan up &&
    ip -n "$p-net" link add wan type bridge && ip -n "$p-net" link set wan up &&
    # inside LAN
    _topo_link "$p-c1" eth0 "$p-net" c1 && ip -n "$p-net" link set c1 master lan &&
    _topo_link "$p-c2" eth0 "$p-net" c2 && ip -n "$p-net" link set c2 master lan &&
    _topo_link "$p-gw" eth0 "$p-net" gwin && ip -n "$p-net" link set gwin master lan &&
    # outside "internet"
    _topo_link "$p-gw" eth1 "$p-net" gwout && ip -n "$p-net" link set gwout master wan &&
    _topo_link "$p-srv" eth0 "$p-net" srv && ip -n "$p-net" link set srv master wan &&
    ip -n "$p-c1" addr add 10.0.0.2/24 dev eth0 && ip -n "$p-c1" route add default via 10.0.0.1 &&
    ip -n "$p-c2" addr add 10.0.0.3/24 dev eth0 && ip -n "$p-c2" route add default via 10.0.0.1 &&
    ip -n "$p-gw" addr add 10.0.0.1/24 dev eth0 &&
    ip -n "$p-gw" addr add 200.200.200.200/24 dev eth1 &&
    ip -n "$p-gw" route add 199.0.0.0/24 dev eth1 &&
    ip -n "$p-srv" addr add 199.0.0.1/24 dev eth0 &&
    ip -n "$p-srv" route add 200.200.200.0/24 dev eth0 &&
    # "the network behind the VPN server", target of pings through tunnels (this kernel
    # has no dummy interfaces, so the address sits on lo)
    ip -n "$p-srv" addr add 192.168.100.1/32 dev lo
  } || { echo "topology: building $p failed" >&2; return 1; }
  for r in "${TOPO_ROLES[@]}"; do _topo_sysctls "$p-$r" || return 1; done
  # No forwarding until a gateway is chosen: topo_kernel_nat, or vpnmasqd capturing eth0/eth1.
  ip netns exec "$p-gw" sysctl -qw net.ipv4.ip_forward=0 || return 1
  export TOPO_PREFIX=$p TOPO_GW_IN=eth0 TOPO_GW_OUT=eth1
  export TOPO_NS_C1=$p-c1 TOPO_NS_C2=$p-c2 TOPO_NS_GW=$p-gw TOPO_NS_SRV=$p-srv TOPO_NS_NET=$p-net
  echo "topology: $p up (gateway $p-gw: inside $TOPO_GW_IN, outside $TOPO_GW_OUT)" >&2
}

# topo_env PREFIX: print the variables topo_up sets, as KEY=VALUE lines (for non-bash callers).
topo_env() {
  _topo_check_prefix "$1" || return 1
  printf '%s\n' "TOPO_PREFIX=$1" TOPO_GW_IN=eth0 TOPO_GW_OUT=eth1 "TOPO_NS_C1=$1-c1" \
    "TOPO_NS_C2=$1-c2" "TOPO_NS_GW=$1-gw" "TOPO_NS_SRV=$1-srv" "TOPO_NS_NET=$1-net"
}

# topo_kernel_nat PREFIX: the baseline gateway, the kernel's own masquerade of 10.0.0.0/8
# out eth1, with the PPTP conntrack helper on TCP 1723 (PEERS.md: PPTP through the kernel
# NAT needs it; the helper also rewrites the GRE Call ID).
topo_kernel_nat() {
  local p=$1
  _topo_check_prefix "$p" || return 1
  ip netns exec "$p-gw" sysctl -qw net.ipv4.ip_forward=1 || return 1
  ip netns exec "$p-gw" nft -f - <<'EOF' || return 1
table ip e2e_nat {
  ct helper pptp { type "pptp" protocol tcp; }
  chain pre {
    type filter hook prerouting priority filter;
    tcp dport 1723 ct helper set "pptp"
  }
  chain post {
    type nat hook postrouting priority srcnat;
    oifname "eth1" ip saddr 10.0.0.0/8 masquerade
  }
}
EOF
}

_topo_signal() {
  local pids; pids=$(ip netns pids "$1" 2>/dev/null) || return 0
  # shellcheck disable=SC2086 # one pid per word
  [[ -z $pids ]] || kill -"$2" $pids 2>/dev/null || true
}
_topo_empty() { [[ -z $(ip netns pids "$1" 2>/dev/null) ]]; }

# topo_down PREFIX: stop every process in PREFIX's namespaces (TERM, then KILL after 5 s),
# then delete the namespaces (which unmounts /run/netns/NAME). Idempotent.
topo_down() {
  local p=$1 r ns
  _topo_check_prefix "$p" || return 1
  for r in "${TOPO_ROLES[@]}"; do
    ns=$p-$r
    [[ -e /run/netns/$ns ]] || continue
    _topo_signal "$ns" TERM
    e2e_wait 5 _topo_empty "$ns" || _topo_signal "$ns" KILL
    ip netns delete "$ns" 2>/dev/null || true
  done
  return 0
}
