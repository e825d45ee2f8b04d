# shellcheck shell=bash source-path=SCRIPTDIR
# Shared helpers for the scripts/e2e libraries. Sourcing defines functions only.
# Written to run under `set -euo pipefail`, but sets no shell options itself.

# e2e_wait SECONDS CMD [ARGS...]: run CMD every 50 ms until it succeeds or SECONDS pass.
# Polling instead of fixed sleeps: the machine is shared and timings vary 2x.
e2e_wait() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}

# e2e_check NAME CMD [ARGS...]: run CMD, print "PASS NAME" or "FAIL NAME", return its status.
e2e_check() {
  local name=$1; shift
  if "$@"; then echo "PASS $name"; else echo "FAIL $name"; return 1; fi
}
