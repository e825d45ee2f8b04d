#!/usr/bin/env bash
# Sets up a fresh machine and shows VpnMasq deciding real VPN traffic: the sample captures
# (ESP serialization, ISAKMP cookie routing, PPTP Call-ID masquerade) are replayed through the
# gateway and every decision is printed. (The live demo on network namespaces is scripts/demo.sh.)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-machine.sh
dotnet build Gateway.Node -c Release -nologo -clp:ErrorsOnly >/dev/null
vpnmasqd=Gateway.Node/bin/Release/net10.0/vpnmasqd
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for sample in esp-session isakmp-exchange pptp-call; do
  echo "== samples/$sample.pcap"
  # Parallel ESP sessions on, so two inside hosts take turns to the same server (HOWTO §6.2).
  "$vpnmasqd" replay --in "samples/$sample.pcap" --out "$out/$sample.pcap" --events "$out/$sample.jsonl" \
    --Masquerade:PublicAddress=200.200.200.200 --Masquerade:Esp:ParallelSessions=true
  cat "$out/$sample.jsonl"
  if command -v tcpdump >/dev/null; then
    echo "-- what the gateway sent:"
    tcpdump -nr "$out/$sample.pcap" 2>/dev/null | cut -c1-150
  fi
  echo
done
