# shellcheck shell=bash source-path=SCRIPTDIR
# Crafted raw ESP (IP protocol 50) peers for the ESP serialization end-to-end tests (DESIGN §3.3).
# Real peers never send raw ESP through a NAT (PEERS.md), so esp-responder.py (answering) and
# esp-sender.py (initiating) stand in for them. Source after scripts/e2e/topology.sh; it only
# defines functions. NS is a namespace role ("srv", "c1") or the full name "PREFIX-srv".
#
#   esp_responder_up PREFIX NS PEER [DELAY]  responder in NS answering ESP from PEER after DELAY s
#                                            (default 1); returns once it listens
#   esp_sender_start PREFIX NS SPI [SERVER]  sender in NS towards SERVER (default 199.0.0.1), loaded
#                                            and waiting for esp_sender_go
#   esp_sender_go PREFIX NS                  release it: initial packet now, then a retry every
#                                            0.5 s until its reply comes (10 packets at most)
#   esp_sender_wait_sent PREFIX NS           wait until its initial packet is out
#   esp_sender_result PREFIX NS              wait for it to end; print its output; return its exit code
#
# State lives in $ESP_STATE_ROOT/PREFIX/esp/: NS.responder.out, NS.out, NS.rc, NS.go (NS as a
# role). Everything runs inside the topology's namespaces, so topo_down ends it.

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
  local _ns _role _d; _esp_ns "$1" "$2"
  local peer=$3 delay=${4:-1} out
  out=$_d/$_role.responder.out
  setsid -f ip netns exec "$_ns" /usr/bin/python3 "$_esp_dir/esp-responder.py" --peer "$peer" --delay "$delay" \
    >"$out" 2>&1 </dev/null || return 1
  e2e_wait 20 _esp_said "$out" '^ready' ||
    { echo "esp: responder in $_ns did not start:" >&2; cat "$out" >&2; return 1; }
}

esp_sender_start() {
  local _ns _role _d; _esp_ns "$1" "$2"
  local spi=$3 server=${4:-199.0.0.1}
  rm -f "$_d/$_role.go" "$_d/$_role.rc"
  # shellcheck disable=SC2016 # $1..$5 expand in the inner shell
  setsid -f ip netns exec "$_ns" sh -c '/usr/bin/python3 "$1" --spi "$2" --server "$3" --go "$4" >"$5.out" 2>&1; echo $? >"$5.rc"' \
    _ "$_esp_dir/esp-sender.py" "$spi" "$server" "$_d/$_role.go" "$_d/$_role" </dev/null || return 1
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
