#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser, the PPTP control stream, the capture reader and the engine
# (issue 10; docs/reliability.md, "Fuzzing"). afl-fuzz drives tests/Gateway.Fuzz, whose assemblies under
# test are instrumented by SharpFuzz; each target runs for a fixed number of executions, then a table says
# how many ran and what they found. Exit status 1 when any target saved a crash or a hang.
#
#   scripts/fuzz.sh [--smoke] [--execs N] [--no-build] [TARGET...]
#     --smoke     a short run of every target (what scripts/test.sh runs): 1 to 1.5 minutes on 2 cores
#     --execs N   executions per target (default 800000: the long run, about 15 minutes on 2 cores)
#     --no-build  publish what `dotnet build -c Release` already built
#     TARGET...   only these targets (default: all; `dotnet out/fuzz/bin/Gateway.Fuzz.dll list` names them)
#
# Findings land in out/fuzz/findings/TARGET/default/{crashes,hangs}. Replay one with
#   dotnet out/fuzz/bin/Gateway.Fuzz.dll run TARGET < FILE
set -euo pipefail
cd "$(dirname "$0")/.."

execs=800000
build=(--nologo -clp:ErrorsOnly)
targets=()
while (($#)); do
  case "$1" in
    --smoke) execs=40000 ;;
    --execs) execs="$2"; shift ;;
    --no-build) build+=(--no-build) ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done

out=out/fuzz
bin=$out/bin

# afl-fuzz from Debian's afl++; the SharpFuzz instrumenter from the repository's tool manifest (.config/).
if ! command -v afl-fuzz >/dev/null; then
  echo "== installing afl++"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
dotnet tool restore >/dev/null

echo "== publishing tests/Gateway.Fuzz"
rm -rf "$bin"
dotnet publish tests/Gateway.Fuzz/Gateway.Fuzz.csproj -c Release -o "$bin" "${build[@]}" | { grep -v NU1603 || true; }

# Seeds come before instrumentation: instrumented code needs afl-fuzz's coverage map to run at all.
echo "== seeds from every frame of ../shared/captures and samples/"
sources=(samples)
[[ -d ../shared/captures ]] && sources+=(../shared/captures) || echo "(../shared/captures not found: samples/ only)"
rm -rf "$out/seeds" "$out/findings"
dotnet "$bin/Gateway.Fuzz.dll" seeds "$out/seeds" "${sources[@]}" >"$out/seeds.txt"
# Inputs that once failed a target are seeds of it for good: afl-fuzz runs every seed first and stops on a crash.
for dir in tests/Gateway.Fuzz/Regressions/*/; do cp "$dir"* "$out/seeds/$(basename "$dir")/"; done

echo "== instrumenting Gateway.Protocols.dll and the capture reader in vpnmasqd.dll"
dotnet sharpfuzz "$bin/Gateway.Protocols.dll"
dotnet sharpfuzz "$bin/vpnmasqd.dll" VpnMasq.Node.Replay

((${#targets[@]})) || mapfile -t targets < <(dotnet "$bin/Gateway.Fuzz.dll" list)

# dotnet is not an afl-instrumented binary (the coverage comes from SharpFuzz), the machine is shared (no
# core binding, no CPU governor check), and a container's core_pattern is not ours to change.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=60000 AFL_FAST_CAL=1

fuzz() {
  local target=$1
  afl-fuzz -i "$out/seeds/$target" -o "$out/findings/$target" -x tests/Gateway.Fuzz/fuzz.dict -E "$execs" -t 5000 \
    -- dotnet "$bin/Gateway.Fuzz.dll" run "$target" >"$out/findings/$target.log" 2>&1 \
    || echo "fuzz.sh: afl-fuzz stopped with an error on $target, see $out/findings/$target.log" >&2
}

stat() { sed -n "s/^$2 *: *//p" "$out/findings/$1/default/fuzzer_stats" 2>/dev/null || true; }
status=0
mkdir -p "$out/findings"

# The canary crashes on any input holding 0xFF: unless afl-fuzz saves that crash, a 0 below proves nothing.
mkdir -p "$out/seeds/canary" && printf 'AAAA' >"$out/seeds/canary/seed"
execs=5000 fuzz canary
canary=$(stat canary saved_crashes)
if [[ "${canary:-0}" == 0 ]]; then
  echo "fuzz.sh: the canary target's crash was not seen: afl-fuzz does not report crashes here" >&2
  status=1
else
  echo "== canary: afl-fuzz saw its crash ($canary saved)"
fi

jobs=$(nproc)
echo "== fuzzing ${#targets[@]} targets, $execs executions each, $jobs at a time"
start=$SECONDS
for target in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  fuzz "$target" &
done
wait


printf '%-22s %10s %8s %6s\n' target executions crashes hangs
for target in "${targets[@]}"; do
  done_=$(stat "$target" execs_done) crashes=$(stat "$target" saved_crashes) hangs=$(stat "$target" saved_hangs)
  printf '%-22s %10s %8s %6s\n' "$target" "${done_:-?}" "${crashes:-?}" "${hangs:-?}"
  if [[ -z "$done_" || "$crashes" != 0 || "$hangs" != 0 ]]; then
    status=1
    ls "$out/findings/$target"/default/{crashes,hangs}/id:* 2>/dev/null | sed 's/^/  /' || true
  fi
done
echo "fuzzing took $((SECONDS - start)) s"
exit $status
