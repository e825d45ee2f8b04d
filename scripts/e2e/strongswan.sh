# shellcheck shell=bash source-path=SCRIPTDIR
# Real strongSwan 5.9.8 peers in network namespaces (see /work/shared/PEERS.md). Source it;
# it only defines functions. NS is a namespace role ("srv", "c1") or the full name
# "PREFIX-srv". Each charon keeps all its state in $SS_STATE_ROOT/PREFIX/NS/:
#   strongswan.conf swanctl.conf  configuration written here
#   run/                          bound over /run inside charon's own mount namespace, because
#                                 /var/run/charon.pid is compiled in (so run/charon.pid too)
#   charon.vici                   vici socket (a path in /tmp works from any namespace)
#   charon.log                    charon's log, truncated at every start
#   name                          a client's connection and child name

_ss_dir=$(dirname "${BASH_SOURCE[0]}")
source "$_ss_dir/common.sh"

SS_STATE_ROOT=${SS_STATE_ROOT:-/tmp/vpnmasq-e2e}
SS_SERVER_ADDR=${SS_SERVER_ADDR:-199.0.0.1}  # where clients connect
SS_POOL=${SS_POOL:-10.99.0.0/24}              # virtual IPs handed to clients
SS_SERVER_NET=${SS_SERVER_NET:-192.168.100.0/24} # the network behind the server
SS_PSK=${SS_PSK:-vpnmasq-e2e-secret}

# _ss_ns PREFIX NS -> sets _ns (namespace) and _d (state dir)
_ss_ns() {
  local role=${2#"$1"-}
  _ns=$1-$role
  _d=$SS_STATE_ROOT/$1/$role
}

# swanctl reads the same strongswan.conf, whose swanctl.load list keeps it from trying (and
# loudly failing) to load plugins that are not installed.
_ss_swanctl() { STRONGSWAN_CONF=$_d/strongswan.conf swanctl "$@" --uri "unix://$_d/charon.vici"; }

# _ss_conf SERVER(0|1): strongswan.conf. kernel-libipsec (userspace ESP over TUN) comes
# before kernel-netlink: the kernel here has no ESP ("unable to add SAD entry").
_ss_conf() {
  cat <<EOF
charon {
  load_modular = no
  load = random nonce openssl pem pkcs1 x509 pubkey aes sha1 sha2 hmac gmp kdf gcm kernel-libipsec kernel-netlink socket-default vici updown attr
  install_routes = yes
  plugins { vici { socket = unix://$_d/charon.vici } }
  filelog {
    e2e {
      path = $_d/charon.log
      time_format = %T
      default = 1
      ike = 2
      append = no
      flush_line = yes
    }
  }
EOF
  # The defaults (3 and 5 half-open SAs per source IP) break many clients behind one NAT.
  (($1)) && printf '  cookie_threshold_ip = 100\n  block_threshold = 100\n'
  echo "}"
  echo "swanctl { load = pem pkcs1 x509 pubkey }"
}

# _ss_start (uses the caller's _ns and _d): start charon, wait for its vici socket, then
# load swanctl.conf.
_ss_start() {
  mkdir -p "$_d/run" && : > "$_d/charon.log" || return 1
  rm -f "$_d/charon.vici" "$_d/run/charon.pid"
  # setsid: charon outlives the caller's shell; topo_down / ss_stop end it by pid.
  # shellcheck disable=SC2016 # $1 expands in the inner shell
  STRONGSWAN_CONF=$_d/strongswan.conf setsid -f ip netns exec "$_ns" \
    sh -c 'mount --bind "$1/run" /run && exec /usr/lib/ipsec/charon' _ "$_d" \
    >"$_d/charon.out" 2>&1 </dev/null || return 1
  e2e_wait 20 _ss_swanctl --stats ||
    { echo "strongswan: charon in $_ns did not start:" >&2; tail -n 5 "$_d/charon.out" >&2; return 1; }
  _ss_swanctl --load-all --file "$_d/swanctl.conf" >"$_d/load.out" 2>&1 ||
    { cat "$_d/load.out" >&2; return 1; }
}

# ss_server_up PREFIX NS: responder for IKEv1 and IKEv2 (version = 0), PSK, virtual IPs
# from $SS_POOL, one child giving access to $SS_SERVER_NET.
ss_server_up() {
  local _ns _d; _ss_ns "$1" "$2"
  mkdir -p "$_d" && _ss_conf 1 > "$_d/strongswan.conf" || return 1
  cat > "$_d/swanctl.conf" <<EOF || return 1
connections {
  server {
    version = 0
    pools = pool
    local { auth = psk
            id = server }
    remote { auth = psk }
    children { net { local_ts = $SS_SERVER_NET } }
  }
}
pools { pool { addrs = $SS_POOL } }
secrets { ike-e2e { secret = "$SS_PSK" } }
EOF
  _ss_start
}

# ss_client_up PREFIX NS NAME VERSION: initiator NAME (connection and child name, also its
# IKE identity) speaking IKEv1 or IKEv2 to $SS_SERVER_ADDR, asking for a virtual IP.
# Loads the configuration only; ss_initiate brings the tunnel up.
ss_client_up() {
  local _ns _d; _ss_ns "$1" "$2"
  local name=$3 version=$4
  [[ $version == 1 || $version == 2 ]] || { echo "strongswan: VERSION must be 1 or 2" >&2; return 1; }
  mkdir -p "$_d" && _ss_conf 0 > "$_d/strongswan.conf" && echo "$name" > "$_d/name" || return 1
  cat > "$_d/swanctl.conf" <<EOF || return 1
connections {
  $name {
    version = $version
    remote_addrs = $SS_SERVER_ADDR
    vips = 0.0.0.0
    local { auth = psk
            id = $name }
    remote { auth = psk }
    children { $name { remote_ts = $SS_SERVER_NET } }
  }
}
secrets { ike-e2e { secret = "$SS_PSK" } }
EOF
  _ss_start
}

_ss_child_installed() { _ss_swanctl --list-sas --raw | grep -q 'state=INSTALLED'; }

# ss_initiate PREFIX NS: initiate the client's connection and wait (20 s) until its CHILD_SA
# is INSTALLED. Sets SS_VIP to the virtual IP the server assigned ("" on failure).
ss_initiate() {
  local _ns _d; _ss_ns "$1" "$2"
  SS_VIP=
  local name; name=$(cat "$_d/name") || return 1
  _ss_swanctl --initiate --ike "$name" --child "$name" --timeout 20 >"$_d/initiate.out" 2>&1 ||
    { tail -n 5 "$_d/initiate.out" >&2; return 1; }
  # --initiate returns once charon reports success; poll for the installed state anyway.
  e2e_wait 20 _ss_child_installed ||
    { echo "strongswan: no CHILD_SA installed in $_ns" >&2; return 1; }
  SS_VIP=$(_ss_swanctl --list-sas --raw | grep -o 'local-vips=\[[0-9.]*' | head -n 1 | cut -d[ -f2)
  [[ -n $SS_VIP ]] || { echo "strongswan: no virtual IP in $_ns" >&2; return 1; }
}

# ss_sas PREFIX NS: print `swanctl --list-sas`.
ss_sas() {
  local _ns _d; _ss_ns "$1" "$2"
  _ss_swanctl --list-sas
}

# _ss_running PID: PID is a live charon (not gone, not a zombie waiting for init to reap it).
_ss_running() {
  local stat; stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  [[ $stat == *"(charon) "[^Z]* ]]
}

# ss_stop PREFIX NS: stop charon (TERM, KILL after 20 s). Idempotent. A killed charon leaves
# routes and table 220 rules behind; topo_down removes them with the namespace.
ss_stop() {
  local _ns _d pid; _ss_ns "$1" "$2"
  pid=$(cat "$_d/run/charon.pid" 2>/dev/null) || return 0
  _ss_running "$pid" || return 0  # already gone (the pid may even be reused)
  kill "$pid" 2>/dev/null || return 0
  e2e_wait 20 eval "! _ss_running $pid" || kill -9 "$pid" 2>/dev/null || true
}
