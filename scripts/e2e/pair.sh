# A second gateway for failover tests: PREFIX-gw2 on the same inside and outside bridges as
# PREFIX-gw, the addresses moving between them as VRRP would. Source it after topology.sh.
#
#   gw  eth0 10.0.0.1 (VIP) + 10.0.0.11    eth1 200.200.200.200 (VIP)
#   gw2 eth0 10.0.0.12                     eth1 200.200.200.202
# The cluster talks over the fixed inside addresses; clients and the server only ever use
# the VIPs, so moving them (plus gratuitous ARP) is the whole failover as they see it.

# pair_up PREFIX: add gw2 and gw's fixed address (topo_up must have run).
pair_up() {
  local p=$1
  ip netns add "$p-gw2" && ip -n "$p-gw2" link set lo up &&
  _topo_link "$p-gw2" eth0 "$p-net" gw2in && ip -n "$p-net" link set gw2in master lan &&
  _topo_link "$p-gw2" eth1 "$p-net" gw2out && ip -n "$p-net" link set gw2out master wan &&
  ip -n "$p-gw2" addr add 10.0.0.12/24 dev eth0 &&
  ip -n "$p-gw2" addr add 200.200.200.202/24 dev eth1 &&
  ip -n "$p-gw2" route add 199.0.0.0/24 dev eth1 &&
  ip -n "$p-gw" addr add 10.0.0.11/24 dev eth0 &&
  _topo_sysctls "$p-gw2" &&
  ip netns exec "$p-gw2" sysctl -qw net.ipv4.ip_forward=0
}

# pair_failover PREFIX: gw's host is gone (its links go down), gw2 takes the VIPs and tells
# the LAN and the internet side with gratuitous ARP, as a VRRP backup does.
pair_failover() {
  local p=$1
  ip -n "$p-gw" link set eth0 down
  ip -n "$p-gw" link set eth1 down
  ip -n "$p-gw2" addr add 10.0.0.1/24 dev eth0
  ip -n "$p-gw2" addr add 200.200.200.200/24 dev eth1
  ip netns exec "$p-gw2" arping -q -U -c 2 -w 1 -I eth0 10.0.0.1 || true
  ip netns exec "$p-gw2" arping -q -U -c 2 -w 1 -I eth1 200.200.200.200 || true
}

# pair_down PREFIX: remove gw2 (topo_down removes the rest).
pair_down() {
  local p=$1 pids
  [[ -e /run/netns/$p-gw2 ]] || return 0
  pids=$(ip netns pids "$p-gw2" 2>/dev/null || true)
  # shellcheck disable=SC2086
  [[ -z $pids ]] || kill -9 $pids 2>/dev/null || true
  ip netns delete "$p-gw2" 2>/dev/null || true
}
