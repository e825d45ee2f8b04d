#!/usr/bin/env bash
# Starts a private PostgreSQL server for the tests (a no-op when it already runs) and prints
# its connection string as the only line on stdout; progress goes to stderr. Usage:
#   VPNMASQ_TEST_POSTGRES=$(scripts/start-postgres.sh)
# The server listens on 127.0.0.1:55432 (never the system's 5432), keeps its data under
# /var/tmp/vpnmasq-pg and trusts local connections: test data only, nothing durable.
# Run as root (the server then runs as user postgres) or as the user owning /var/tmp/vpnmasq-pg.
# Needs the postgresql package (scripts/setup-machine.sh installs it).
set -euo pipefail
exec 3>&1 1>&2 # stdout is for the connection string alone

base=/var/tmp/vpnmasq-pg
data=$base/data
run=$base/run
log=$base/server.log
port=55432
conn="Host=127.0.0.1;Port=$port;Username=vpnmasq;Password=vpnmasq;Database=postgres"
cd / # the server's user may not be able to enter the caller's directory

if [ "$(id -u)" = 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
  owner=postgres
else
  as_pg() { "$@"; }
  owner=$(id -un)
fi

# Newest installed PostgreSQL, unless the data directory was made by another installed version.
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "start-postgres: no PostgreSQL server binaries under /usr/lib/postgresql; run scripts/setup-machine.sh" >&2
  exit 1
fi
if [ -f "$data/PG_VERSION" ] && [ -x "/usr/lib/postgresql/$(cat "$data/PG_VERSION")/bin/postgres" ]; then
  bindir=/usr/lib/postgresql/$(cat "$data/PG_VERSION")/bin
fi

mkdir -p "$base"
[ "$owner" = "$(id -un)" ] || chown "$owner:" "$base"
exec 9>>"$base/.lock"
flock 9 # one caller at a time

# The server must not inherit any descriptor but 0-2 (pg_ctl points those at /dev/null and the
# log): not our lock on fd 9, and no pipe such as the caller's $(...) on fd 3 — it would hold
# the caller's output open for as long as the server lives.
start_server() (
  for fd in /proc/"$BASHPID"/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
  as_pg "$bindir/pg_ctl" start -D "$data" -l "$log" -w -t 60 >/dev/null
)
ready() { "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U postgres -t 2; }

# Whether the postmaster recorded in postmaster.pid lives. Not `pg_ctl status`: a killed
# server stays a zombie until PID 1 reaps it, and kill -0 (all pg_ctl asks) still finds it.
server_alive() {
  local pid state
  pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && grep -qx 'postgres\|postmaster' "/proc/$pid/comm" 2>/dev/null || return 1
  [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$data" ] || return 1 # the postmaster runs in its data dir
  state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

if [ -f "$data/PG_VERSION" ] && server_alive; then
  echo "start-postgres: already running on 127.0.0.1:$port ($data)"
else
  # A data directory from an interrupted initdb or from a version no longer installed is
  # thrown away: it only ever holds test databases.
  if [ ! -f "$base/.initialized" ] || [ "$(cat "$data/PG_VERSION" 2>/dev/null)" != "$(basename "$(dirname "$bindir")")" ]; then
    echo "start-postgres: initdb $data ($bindir)"
    rm -rf "$data" "$base/.initialized"
    install -d -m 700 -o "$owner" "$data"
    as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust --no-locale -E UTF8 >/dev/null
    echo "include_if_exists = 'vpnmasq-test.conf'" >>"$data/postgresql.conf"
    touch "$base/.initialized"
  fi

  install -d -m 755 -o "$owner" "$run"
  # Rewritten on every start so edits to this script take effect.
  as_pg tee "$data/vpnmasq-test.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$run'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
EOF
  as_pg tee "$data/pg_hba.conf" >/dev/null <<EOF
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
host    all       all   ::1/128       trust
EOF

  # A server killed hard leaves postmaster.pid and the socket's lock file behind, and
  # PostgreSQL refuses to start while their pid is a zombie or belongs to another process
  # (pid reuse after a reboot). Dropping them is safe: orphaned backends of the old server are
  # still caught by PostgreSQL's shared memory check (hence the retries below).
  rm -f "$data/postmaster.pid" "$run/.s.PGSQL.$port.lock"

  echo "start-postgres: starting on 127.0.0.1:$port (log $log)"
  started=
  for attempt in 1 2 3 4 5; do
    # Orphaned backends of a killed server hold its shared memory for a moment; retry.
    if start_server; then
      started=1
      break
    fi
    echo "start-postgres: start attempt $attempt failed; retrying"
    sleep 2
  done
  if [ -z "$started" ]; then
    echo "start-postgres: server did not start; last lines of $log:"
    tail -n 30 "$log" || true
    exit 1
  fi
fi

for _ in $(seq 60); do
  ready && break
  sleep 0.5
done
if ! ready; then
  echo "start-postgres: server does not answer on 127.0.0.1:$port; last lines of $log:"
  tail -n 30 "$log" || true
  exit 1
fi

psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$run" -p "$port" -U postgres -d postgres)
if [ "$("${psql[@]}" -tAc "select 1 from pg_roles where rolname = 'vpnmasq'")" != 1 ]; then
  echo "start-postgres: creating role vpnmasq"
  "${psql[@]}" -c "create role vpnmasq login createdb password 'vpnmasq'"
fi

printf '%s\n' "$conn" >"$base/connection-string.tmp"
mv -f "$base/connection-string.tmp" "$base/connection-string"
chmod 644 "$base/connection-string"
printf '%s\n' "$conn" >&3
