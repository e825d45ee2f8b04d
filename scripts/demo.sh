#!/usr/bin/env bash
# The live demo, on a fresh Debian 12 machine as root: installs what it needs, builds, makes a
# network-namespace topology (two inside clients, the gateway, an internet-side VPN server),
# starts vpnmasqd in the gateway namespace, brings up real VPN sessions from both clients
# through it (strongSwan IKEv2 and IKEv1, and PPTP), prints the masquerade table, and tears
# everything down on exit. With --keep it leaves everything up to play with the CLI.
#
#   scripts/demo.sh [--keep]      scripts/demo.sh --down PREFIX
set -euo pipefail
cd "$(dirname "$0")/.."
keep=0
case "${1:-}" in
  --keep) keep=1 ;;
  --down) source scripts/e2e/topology.sh; topo_down "$2"; exit 0 ;;
  "") ;;
  *) echo "usage: scripts/demo.sh [--keep] | --down PREFIX" >&2; exit 2 ;;
esac

echo "== setting up the machine and building"
scripts/setup-machine.sh
dotnet build VpnMasq.sln -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null

source scripts/e2e/topology.sh
source scripts/e2e/strongswan.sh
source scripts/pptp/pptp.sh
p=$(topo_prefix)
dir=/tmp/vpnmasq-demo/$p
mkdir -p "$dir"
vpnmasqd=(dotnet "$PWD/Gateway.Node/bin/Release/net10.0/vpnmasqd.dll")
vpnmasq=(ip netns exec "$p-gw" dotnet "$PWD/Gateway.Cli/bin/Release/net10.0/vpnmasq.dll")
if ((keep == 0)); then
  trap 'echo "== tearing down $p"; topo_down "$p" >/dev/null 2>&1 || true' EXIT
fi

echo "== topology $p: c1 10.0.0.2, c2 10.0.0.3 | gateway 10.0.0.1 / 200.200.200.200 | server 199.0.0.1 (192.168.100.1 behind it)"
topo_up "$p" 2>/dev/null

echo "== vpnmasqd in $p-gw (log: $dir/vpnmasqd.log)"
ip netns exec "$p-gw" "${vpnmasqd[@]}" run --inside eth0 --outside eth1 --manage-kernel \
  --Masquerade:PublicAddress=auto --Node:DataDir="$dir/node" >"$dir/vpnmasqd.log" 2>&1 &
e2e_wait 90 grep -q "vpnmasqd: forwarding" "$dir/vpnmasqd.log" ||
  { echo "vpnmasqd did not start:"; tail -20 "$dir/vpnmasqd.log"; exit 1; }
grep -o "vpnmasqd: inside.*" "$dir/vpnmasqd.log" | head -1

echo "== IPsec: strongSwan server in srv; c1 speaks IKEv2, c2 IKEv1, both through vpnmasqd"
ss_server_up "$p" srv
ss_client_up "$p" c1 c1 2
ss_client_up "$p" c2 c2 1
ss_initiate "$p" c1; vip1=$SS_VIP
ss_initiate "$p" c2; vip2=$SS_VIP
for pair in "c1 $vip1" "c2 $vip2"; do
  set -- $pair
  ip netns exec "$p-$1" ping -q -c 3 -i 0.2 -W 2 -I "$2" 192.168.100.1 | grep -E "transmitted" | sed "s/^/   $1 ($2) -> 192.168.100.1 through its tunnel: /"
done

echo "== PPTP: pptpd in srv; c1 and c2 each call it through vpnmasqd, both calls up together"
pptp_server_up "$p" "$p-srv" 192.168.200.1 192.168.200.10-19 >/dev/null
if t1=$(pptp_client_up "$p" "$p-c1" 199.0.0.1 c1 2>"$dir/pptp-c1.err") && t2=$(pptp_client_up "$p" "$p-c2" 199.0.0.1 c2 2>"$dir/pptp-c2.err"); then
  for pair in "c1 $t1" "c2 $t2"; do
    set -- $pair
    ip netns exec "$p-$1" ping -q -c 3 -i 0.2 -W 2 -I "$2" 192.168.200.1 | grep -E "transmitted" | sed "s/^/   $1 ($2) -> 192.168.200.1 through its PPTP call: /"
  done
else
  echo "   a PPTP call did not come up (see $dir/pptp-*.err)"
fi

echo "== the masquerade table (vpnmasq table)"
"${vpnmasq[@]}" table
echo "== counters (vpnmasq counters)"
"${vpnmasq[@]}" counters

if ((keep)); then
  cat <<MSG

Left running. Try:
  ${vpnmasq[*]} table --protocol esp
  ip netns exec $p-c1 ping -I $vip1 192.168.100.1
  tail -f $dir/vpnmasqd.log
Tear down with: scripts/demo.sh --down $p
MSG
fi
