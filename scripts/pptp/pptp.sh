# shellcheck shell=bash
# Real PPTP sessions without kernel PPP: pptpd (server) and pptp-linux (client) do the
# PPTP control connection and GRE in userspace, and scripts/pptp/ppp-standin.py stands
# in for pppd (async-HDLC PPP on the pty/socket, LCP + IPCP, IPv4 bridged to a TUN).
#
# Source this file, then:
#   pptp_server_up PREFIX NS LOCALIP REMOTEIP_RANGE   pptpd in network namespace NS
#       LOCALIP: the server's tunnel address; REMOTEIP_RANGE: pptpd's `remoteip`
#       syntax (e.g. 192.168.200.10-19). Returns when pptpd listens on TCP 1723.
#   pptp_client_up PREFIX NS SERVERIP NAME            one client session from NS
#       Waits (PPTP_UP_TIMEOUT, default 20 s) until the stand-in logs "IPCP up";
#       prints the client's tunnel address on stdout. NAME tells sessions apart
#       (several may run in one namespace; each has its own call manager).
#   pptp_client_down PREFIX NS NAME                   ends that one session
#   pptp_stop PREFIX NS                               ends everything pptp.sh started in NS
#   pptp_dump_logs PREFIX NS                          prints all logs of NS (to stderr)
# State (configs, logs, pids) lives under /tmp/vpnmasq-pptp/PREFIX/NS/ (server/ and
# client-NAME/); pptp_stop leaves the logs there. Logs per directory: syslog.log (pptpd,
# pptpctrl, pptp), ppp.log (stand-ins; the server's sessions share one, lines carry pids).
# Stop clients before their server: their stand-ins then end the calls cleanly.
#
# Every daemon runs in a private mount namespace (ip netns exec makes one) with
#   * a private /run (pptp's call-manager socket /var/run/pptp/SERVER, pid files),
#   * a private /dev: null zero full random urandom tty net/tun bound in, a new devpts
#     instance at /dev/pts, /dev/ptmx -> pts/ptmx (binding /dev/ptmx itself breaks
#     openpty), and /dev/log = a syslog-sink.py socket writing DIR/syslog.log.
# Processes are found again through that mount namespace (DIR/mntns), so pptp_stop also
# ends the children they forked (pptpctrl, pptp's call manager, the stand-ins).

PPTP_SH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PPTP_STANDIN="$PPTP_SH_DIR/ppp-standin.py"
PPTP_SINK="$PPTP_SH_DIR/syslog-sink.py"
PPTP_STATE_ROOT=${PPTP_STATE_ROOT:-/tmp/vpnmasq-pptp}
PPTP_UP_TIMEOUT=${PPTP_UP_TIMEOUT:-20}
PPTP_DEBUG=${PPTP_DEBUG:-0}   # 1: pptpd -d (a syslog line per GRE packet), stand-ins log every PPP packet

_pptp_now() { date +%s.%N; }

# _pptp_wait SECONDS CMD... : polls CMD every 0.05 s until it succeeds.
_pptp_wait() {
  local secs=$1; shift
  local end
  end=$(awk -v n="$(_pptp_now)" -v s="$secs" 'BEGIN { printf "%.3f", n + s }')
  until "$@"; do
    if awk -v n="$(_pptp_now)" -v e="$end" 'BEGIN { exit !(n > e) }'; then return 1; fi
    sleep 0.05
  done
}

# _pptp_prepare NS DIR : the skeleton of a private /run and /dev, plus the syslog sink. The
# sink runs in NS too (a pathname unix socket works across network namespaces), so a caller
# that tears down with topo_down alone (which ends every process of NS) does not leak it.
_pptp_prepare() {
  local ns=$1 dir=$2 f
  mkdir -p "$dir/run/pptp" "$dir/dev/pts" "$dir/dev/net"
  for f in null zero full random urandom tty net/tun; do : > "$dir/dev/$f"; done
  ln -sfn pts/ptmx "$dir/dev/ptmx"
  ln -sfn /proc/self/fd "$dir/dev/fd"
  ln -sfn /proc/self/fd/0 "$dir/dev/stdin"
  ln -sfn /proc/self/fd/1 "$dir/dev/stdout"
  ln -sfn /proc/self/fd/2 "$dir/dev/stderr"
  : > "$dir/syslog.log"
  ip netns exec "$ns" /usr/bin/python3 "$PPTP_SINK" "$dir/dev/log" "$dir/syslog.log" </dev/null >>"$dir/sink.out" 2>&1 &
  echo $! > "$dir/sink.pid"
  _pptp_wait 10 grep -q "listening on" "$dir/syslog.log" || {
    echo "pptp: syslog sink did not start ($dir)" >&2; return 1; }
}

# _pptp_launch NS DIR OUTFILE CMD... : runs CMD in NS inside a private mount namespace
# built from DIR (see above), in the background; DIR/main.pid and DIR/mntns identify it.
_pptp_launch() {
  local ns=$1 dir=$2 out=$3; shift 3
  rm -f "$dir/mntns"
  # shellcheck disable=SC2016
  ip netns exec "$ns" /bin/sh -c '
    d=$1; shift
    set -e
    readlink /proc/self/ns/mnt > "$d/mntns.tmp"
    mount --make-rprivate /
    mount --bind "$d/run" /run
    mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$d/dev/pts" 2>/dev/null ||
      mount --bind /dev/pts "$d/dev/pts"
    for f in null zero full random urandom tty net/tun; do mount --bind "/dev/$f" "$d/dev/$f"; done
    mount --rbind "$d/dev" /dev
    mv "$d/mntns.tmp" "$d/mntns"
    exec "$@"' sh "$dir" "$@" </dev/null >>"$out" 2>&1 &
  echo $! > "$dir/main.pid"
  _pptp_wait 10 test -s "$dir/mntns" || {
    echo "pptp: could not start $* in $ns (see $out)" >&2; return 1; }
}

# _pptp_pids DIR : pids of the processes in DIR's private mount namespace.
_pptp_pids() {
  local mnt
  mnt=$(sed -n 's/^mnt:\[\([0-9]*\)\]$/\1/p' "$1/mntns" 2>/dev/null)
  [[ -n $mnt ]] || return 0
  ps -e -o pid=,mntns= | awk -v m="$mnt" '$2 == m { print $1 }'
}

# _pptp_kill_dir DIR : ends every process in DIR's mount namespace, and its sink.
# SIGTERM to the main process first (a client's stand-in then sends LCP Terminate-Request
# and ends its pptp, whose call manager clears the call), after 1 s SIGTERM to all that is
# left (pptpd leaves its pptpctrl sessions running), after 4 s SIGKILL.
_pptp_kill_dir() {
  local dir=$1 main pids i p
  [[ -d $dir ]] || return 0
  main=$(cat "$dir/main.pid" 2>/dev/null || true)
  if [[ -n $main ]]; then kill -TERM "$main" 2>/dev/null || true; fi
  for ((i = 0; i < 60; i++)); do
    mapfile -t pids < <(_pptp_pids "$dir")
    ((${#pids[@]})) || break
    if ((i == 10)); then kill -TERM "${pids[@]}" 2>/dev/null || true
    elif ((i == 40)); then kill -KILL "${pids[@]}" 2>/dev/null || true
    fi
    sleep 0.1
  done
  p=$(cat "$dir/sink.pid" 2>/dev/null || true)
  if [[ -n $p ]]; then
    kill -TERM "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  fi
  rm -f "$dir/main.pid" "$dir/sink.pid" "$dir/mntns"
}

pptp_server_up() {
  local prefix=$1 ns=$2 localip=$3 range=$4
  local dir="$PPTP_STATE_ROOT/$prefix/$ns/server"
  _pptp_kill_dir "$dir"
  rm -rf "$dir"; mkdir -p "$dir"
  cat > "$dir/pptpd.conf" <<EOF
ppp $PPTP_STANDIN
option $dir/ppp-options
localip $localip
remoteip $range
pidfile /run/pptpd.pid
EOF
  cat > "$dir/ppp-options" <<EOF
logfile $dir/ppp.log
EOF
  local dflag=()
  if [[ $PPTP_DEBUG == 1 ]]; then echo debug >> "$dir/ppp-options"; dflag=(-d); fi
  : > "$dir/ppp.log"
  _pptp_prepare "$ns" "$dir" || return 1
  _pptp_launch "$ns" "$dir" "$dir/pptpd.out" /usr/sbin/pptpd -f "${dflag[@]}" -c "$dir/pptpd.conf" || return 1
  if ! _pptp_wait 10 _pptp_listening "$ns"; then
    echo "pptp: pptpd in $ns is not listening on TCP 1723" >&2
    pptp_dump_logs "$prefix" "$ns"
    return 1
  fi
}

_pptp_listening() {
  [[ -n $(ip netns exec "$1" ss -Hltn 'sport = :1723' 2>/dev/null) ]]
}

pptp_client_up() {
  local prefix=$1 ns=$2 server=$3 name=$4
  local dir="$PPTP_STATE_ROOT/$prefix/$ns/client-$name" addr
  _pptp_kill_dir "$dir"
  rm -rf "$dir"; mkdir -p "$dir"
  : > "$dir/ppp.log"
  _pptp_prepare "$ns" "$dir" || return 1
  _pptp_launch "$ns" "$dir" "$dir/standin.out" /usr/bin/python3 "$PPTP_STANDIN" \
    logfile "$dir/ppp.log" ipparam "$name" "$([[ $PPTP_DEBUG == 1 ]] && echo debug || echo nodebug)" \
    pty "/usr/sbin/pptp $server --nolaunchpppd --nohostroute --loglevel 1 --logstring $name" ||
    return 1
  if ! _pptp_wait "$PPTP_UP_TIMEOUT" grep -q "IPCP up:" "$dir/ppp.log"; then
    echo "pptp: client $name in $ns: no IPCP up within ${PPTP_UP_TIMEOUT}s" >&2
    pptp_dump_logs "$prefix" "$ns"
    _pptp_kill_dir "$dir"
    return 1
  fi
  addr=$(sed -n 's/.*IPCP up: local \([0-9.]*\) .*/\1/p' "$dir/ppp.log" | tail -n 1)
  echo "$addr"
}

pptp_client_down() {
  _pptp_kill_dir "$PPTP_STATE_ROOT/$1/$2/client-$3"
}

pptp_stop() {
  local base="$PPTP_STATE_ROOT/$1/$2" d
  [[ -d $base ]] || return 0
  for d in "$base"/client-* "$base/server"; do
    if [[ -d $d ]]; then _pptp_kill_dir "$d"; fi
  done
  return 0
}

pptp_dump_logs() {
  local base="$PPTP_STATE_ROOT/$1/$2" f
  for f in "$base"/*/*.log "$base"/*/*.out; do
    [[ -s $f ]] || continue
    echo "----- $f" >&2
    tail -n 60 "$f" >&2
  done
  return 0
}
