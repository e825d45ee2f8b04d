#!/usr/bin/env bash
# Sets up a fresh machine and runs every test project. Run as root: later suites use
# network namespaces and real VPN daemons.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-machine.sh
# A real PostgreSQL server for the tests; test code reads its connection string from here.
VPNMASQ_TEST_POSTGRES=$(scripts/start-postgres.sh)
export VPNMASQ_TEST_POSTGRES
dotnet restore VpnMasq.sln
dotnet build VpnMasq.sln -c Release --no-restore -nologo -clp:ErrorsOnly

status=0
# A short coverage-guided run of every parser, the PPTP stream reader, the capture reader and the engine
# (1 to 1.5 minutes); a crash or hang fails the run like a failing test project. The long run: docs/reliability.md.
echo "== fuzz smoke"
scripts/fuzz.sh --smoke --no-build || status=1
for project in tests/*/; do
  name=$(basename "$project")
  # Test projects only: the benchmarks and the cluster tests' node program are not.
  [[ -f "$project/$name.csproj" && ( "$name" == *.Tests || "$name" == Gateway.EndToEnd ) ]] || continue
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo || status=1
done
exit $status
