#!/usr/bin/env bash
# Installs what the tests drive from Debian when missing: headless Chromium with its driver (the CRO dashboard test),
# aiosmtpd (the SMTP sink the email tests deliver to) and kubectl (the deployment test renders the Kustomize
# manifests with it). Idempotent; needs root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian..."
  # apt waits for another apt run on this machine instead of failing on its lock.
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "Test tools ready: $(chromium --version 2>/dev/null | head -1), aiosmtpd, kubectl."
