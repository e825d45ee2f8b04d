#!/usr/bin/env bash
# Installs what VpnMasq's build, demo and tests need on a fresh Debian 12 with the .NET SDK.
# Idempotent: packages already present are not fetched again.
set -euo pipefail

# postgresql (15 on Debian 12): a real server for tests; scripts/start-postgres.sh runs a
# private instance, the package's own cluster is never started (see policy-rc.d below).
# strongswan-*, conntrack and ping: real IPsec peers, kernel-NAT inspection and
# reachability checks for scripts/e2e/. libstrongswan-standard-plugins holds the openssl
# and gcm plugins; without them kernel-libipsec rejects the default AES-GCM ESP proposal.
# pptpd and pptp-linux: real PPTP peers (scripts/pptp, with a pppd stand-in: no kernel PPP
# here). curl: the end-to-end tests read vpnmasqd's management API inside namespaces.
# arping: gratuitous ARP when a failover test moves the gateway addresses (as VRRP does).
# afl++: afl-fuzz drives the fuzz smoke run (scripts/fuzz.sh, which also installs it when run alone).
packages=(libpcap0.8 tcpdump iproute2 nftables python3-scapy postgresql
  strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins
  conntrack iputils-ping
  pptpd pptp-linux curl iputils-arping afl++)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # No systemd here: keep postinst scripts from starting daemons in the root namespace.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
