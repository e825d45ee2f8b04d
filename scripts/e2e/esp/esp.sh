# shellcheck shell=bash source-path=SCRIPTDIR
# Crafted raw ESP (IP protocol 50) peers for the ESP serialization end-to-end tests (DESIGN §3.3).
# Real peers never send raw ESP through a NAT (PEERS.md), so esp-responder.py (on the server) and
# esp-sender.py (inside hosts) stand in for them. Source after scripts/e2e/topology.sh; it only
# defines functions. NS is a namespace role ("srv", "c1") or the full name "PREFIX-srv".
#
#   esp_responder_up PREFIX [DELAY]   responder in PREFIX-srv answering ESP from 200.200.200.200
#                                     after DELAY s (default 1); returns once it listens
#   esp_sender_start PREFIX NS SPI    sender in NS, loaded and waiting for esp_sender_go
#   esp_sender_go PREFIX NS           release it: initial packet now, retries every 0.5 s (10 in all)
#   esp_sender_wait_sent PREFIX NS    wait until its initial packet is out
#   esp_sender_result PREFIX NS       wait for it to end; print its output; return its exit code
#
# State lives in $ESP_STATE_ROOT/PREFIX/esp/: responder.out, NS.out, NS.rc, NS.go. Everything
# runs inside the topology's namespaces, so topo_down ends it.

_esp_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../common.sh
source "$_esp_dir/../common.sh"

ESP_STATE_ROOT=${ESP_STATE_ROOT:-/tmp/vpnmasq-e2e}

# _esp_ns PREFIX NS -> sets _ns (namespace), _role and _d (state dir)
_esp_ns() {
  _role=${2#"$1"-}
  _ns=$1-$_role
  _d=$ESP_STATE_ROOT/$1/esp
  mkdir -p "$_d"
}

_esp_said() { grep -q "$2" "$1" 2>/dev/null; }

esp_responder_up() {
  local _ns _role _d; _esp_ns "$1" srv
  local delay=${2:-1}
  setsid -f ip netns exec "$_ns" /usr/bin/python3 "$_esp_dir/esp-responder.py" --delay "$delay" \
    >"$_d/responder.out" 2>&1 </dev/null || return 1
  e2e_wait 20 _esp_said "$_d/responder.out" '^ready' ||
    { echo "esp: responder in $_ns did not start:" >&2; cat "$_d/responder.out" >&2; return 1; }
}

esp_sender_start() {
  local _ns _role _d; _esp_ns "$1" "$2"
  local spi=$3
  rm -f "$_d/$_role.go" "$_d/$_role.rc"
  # shellcheck disable=SC2016 # $1..$4 expand in the inner shell
  setsid -f ip netns exec "$_ns" sh -c '/usr/bin/python3 "$1" --spi "$2" --go "$3" >"$4.out" 2>&1; echo $? >"$4.rc"' \
    _ "$_esp_dir/esp-sender.py" "$spi" "$_d/$_role.go" "$_d/$_role" </dev/null || return 1
  e2e_wait 20 _esp_said "$_d/$_role.out" '^ready' ||
    { echo "esp: sender in $_ns did not start:" >&2; cat "$_d/$_role.out" >&2; return 1; }
}

esp_sender_go() {
  local _ns _role _d; _esp_ns "$1" "$2"
  touch "$_d/$_role.go"
}

esp_sender_wait_sent() {
  local _ns _role _d; _esp_ns "$1" "$2"
  e2e_wait 10 _esp_said "$_d/$_role.out" '^sent 1 ' ||
    { echo "esp: sender in $_ns sent nothing:" >&2; cat "$_d/$_role.out" >&2; return 1; }
}

esp_sender_result() {
  local _ns _role _d; _esp_ns "$1" "$2"
  e2e_wait 30 test -s "$_d/$_role.rc" || { echo "esp: sender in $_ns did not finish" >&2; return 1; }
  cat "$_d/$_role.out"
  return "$(cat "$_d/$_role.rc")"
}
