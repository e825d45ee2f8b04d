#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The end-to-end baseline with the KERNEL's masquerade as the gateway: two inside clients
# (c1 IKEv2, c2 IKEv1) behind one NAT bring up strongSwan tunnels to one server and ping the
# network behind it. Proves the building blocks; `vpnmasqd run` later takes the kernel NAT's
# place in the gateway namespace. Prints PASS/FAIL per check, exits 0 only if all pass.
# KEEP=1 keeps the state directory (configs, charon logs) after the run.
set -euo pipefail
here=$(dirname "$0")
source "$here/topology.sh"
source "$here/strongswan.sh"

p=$(topo_prefix)
failed=0
start=$EPOCHREALTIME

# ms since start, for the timing column
ms() { echo $(( (${EPOCHREALTIME/./} - ${start/./}) / 1000 )); }

finish() {
  local rc=$?
  ((rc == 0 && failed == 0)) || for ns in srv c1 c2; do
    echo "--- $ns charon.log (last 15 lines)"
    tail -n 15 "$SS_STATE_ROOT/$p/$ns/charon.log" 2>/dev/null || true
  done
  topo_down "$p"
  [[ ${KEEP:-0} == 1 ]] || rm -rf "${SS_STATE_ROOT:?}/$p"
  echo "total $(ms) ms"
  exit $((rc || failed))
}
trap finish EXIT

check() { e2e_check "$@" || failed=1; }

reaches_server() { ip netns exec "$p-$1" ping -q -c 1 -W 2 199.0.0.1 >/dev/null; }

# ping_via NS SRC: 3 pings to the server's network from SRC, all must come back.
ping_via() {
  ip netns exec "$p-$1" ping -q -c 3 -i 0.2 -W 2 -I "$2" 192.168.100.1 | grep -q ' 3 received'
}

# server_sees_nat_t: both IKE_SAs come from the NAT's public address, and every IKE_SA and
# CHILD_SA uses port 4500 and UDP-encapsulated ESP (NAT-T).
server_sees_nat_t() {
  local raw; raw=$(_ss_ns "$p" srv; _ss_swanctl --list-sas --raw)
  [[ $(grep -o 'remote-host=200.200.200.200 ' <<<"$raw" | wc -l) == 2 &&
     $(grep -o 'local-port=4500 ' <<<"$raw" | wc -l) == 2 &&
     $(grep -o 'encap=yes ' <<<"$raw" | wc -l) == 2 ]]
}

topo_up "$p"
topo_kernel_nat "$p"
echo "[$(ms) ms] topology $p up, kernel NAT on $TOPO_NS_GW:$TOPO_GW_OUT"
check "c1 reaches 199.0.0.1 through the kernel NAT" reaches_server c1
check "c2 reaches 199.0.0.1 through the kernel NAT" reaches_server c2

ss_server_up "$p" srv
ss_client_up "$p" c1 c1 2
ss_client_up "$p" c2 c2 1
echo "[$(ms) ms] charon running in srv, c1, c2"

check "c1 IKEv2 CHILD_SA installed" ss_initiate "$p" c1; vip1=$SS_VIP
echo "[$(ms) ms] c1 virtual IP ${vip1:-none}"
check "c2 IKEv1 CHILD_SA installed" ss_initiate "$p" c2; vip2=$SS_VIP
echo "[$(ms) ms] c2 virtual IP ${vip2:-none}"

check "c1 pings 192.168.100.1 from ${vip1:-?} through its tunnel" ping_via c1 "${vip1:-10.0.0.2}"
check "c2 pings 192.168.100.1 from ${vip2:-?} through its tunnel" ping_via c2 "${vip2:-10.0.0.3}"
check "server sees both clients at 200.200.200.200 with NAT-T on 4500" server_sees_nat_t
echo "[$(ms) ms] checks done"

echo "--- server: swanctl --list-sas"
ss_sas "$p" srv
echo "--- gateway: conntrack -L -p udp"
ip netns exec "$p-gw" conntrack -L -p udp 2>/dev/null || true

if ((failed == 0)); then echo "PASS kernel baseline"; else echo "FAIL kernel baseline"; exit 1; fi
