# shellcheck shell=bash source-path=SCRIPTDIR
# Point-to-point raw-IP links (no link header, no ARP: what ppp0, tun and WireGuard devices
# look like to libpcap) for the end-to-end tests. Source it after topology.sh; it only
# defines functions. The kernel here has TUN but no PPP, so each link is two TUN devices,
# one per namespace, joined by tun-link.py (one process per half, see there). The halves
# run inside their namespaces, so topo_down ends them, and the devices go with them.

_tl_dir=$(dirname "${BASH_SOURCE[0]}")
source "$_tl_dir/common.sh"

_tl_has() { ip -n "$1" link show "$2"; }

# tunlink_up PREFIX NS_A DEV_A NS_B DEV_B [LINKTYPE]: a raw-IP link between DEV_A in PREFIX-NS_A
# and DEV_B in PREFIX-NS_B, both up, no addresses yet. LINKTYPE (tun-link.py) applies to DEV_A.
tunlink_up() {
  local p=$1 a=$1-$2 da=$3 b=$1-$4 db=$5 type=${6:-}
  local dir=/tmp/vpnmasq-e2e/$p/links
  mkdir -p "$dir" || return 1
  setsid -f ip netns exec "$a" /usr/bin/python3 "$_tl_dir/tun-link.py" "$da" "$dir/$2-$da.sock" "$dir/$4-$db.sock" ${type:+"$type"} \
    >"$dir/$2-$da.log" 2>&1 </dev/null || return 1
  setsid -f ip netns exec "$b" /usr/bin/python3 "$_tl_dir/tun-link.py" "$db" "$dir/$4-$db.sock" "$dir/$2-$da.sock" \
    >"$dir/$4-$db.log" 2>&1 </dev/null || return 1
  e2e_wait 10 _tl_has "$a" "$da" && e2e_wait 10 _tl_has "$b" "$db" ||
    { echo "tun-link: $da/$db did not appear:" >&2; cat "$dir"/*.log >&2; return 1; }
  ip -n "$a" link set "$da" up && ip -n "$b" link set "$db" up
}

# topo_outside_tun PREFIX [LINKTYPE]: the gateway's outside link becomes ppp0, a raw-IP link to
# the server (200.200.200.200 here, 199.0.0.1 there), in place of eth1 and the "wan" switch.
# The server routes all of 200.200.200.0/24 into the link, so an address change is followed.
# LINKTYPE "ppp" makes the gateway's end a ppp device to libpcap (cooked capture).
topo_outside_tun() {
  local p=$1
  ip -n "$p-gw" link del eth1 && ip -n "$p-srv" link del eth0 &&
  tunlink_up "$p" gw ppp0 srv ppp0 "${2:-}" &&
  ip -n "$p-gw" addr add 200.200.200.200 peer 199.0.0.1 dev ppp0 &&
  ip -n "$p-gw" route add 199.0.0.0/24 dev ppp0 &&
  ip -n "$p-srv" addr add 199.0.0.1 peer 200.200.200.200 dev ppp0 &&
  ip -n "$p-srv" route add 200.200.200.0/24 dev ppp0
}

# topo_inside_tun PREFIX: client c1 reaches the gateway over tun0, a raw-IP link (10.0.0.2
# there, 10.0.0.1 here), in place of both their eth0s; c2 is left without a gateway.
topo_inside_tun() {
  local p=$1
  ip -n "$p-gw" link del eth0 && ip -n "$p-c1" link del eth0 &&
  tunlink_up "$p" gw tun0 c1 tun0 &&
  ip -n "$p-gw" addr add 10.0.0.1 peer 10.0.0.2 dev tun0 &&
  ip -n "$p-c1" addr add 10.0.0.2 peer 10.0.0.1 dev tun0 &&
  ip -n "$p-c1" route add default dev tun0
}
