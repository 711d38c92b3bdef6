#!/usr/bin/env bash
# Prints the ingestion API key that `make up` and `make demo` use: Ingestion__ApiKey (the setting itself), else
# DEALRISK_API_KEY (what docker-compose.yml reads), else a key generated once into .run/api-key.
# Both set to different values is refused rather than one silently winning.
set -euo pipefail
cd "$(dirname "$0")/../.."
setting=${Ingestion__ApiKey:-}
short=${DEALRISK_API_KEY:-}
if [ -n "$setting" ] && [ -n "$short" ] && [ "$setting" != "$short" ]; then
  echo "Ingestion__ApiKey and DEALRISK_API_KEY are both set and differ: set only one of them." >&2
  exit 1
fi
if [ -n "$setting" ] || [ -n "$short" ]; then
  echo "${setting:-$short}"
  exit 0
fi
mkdir -p .run
[ -s .run/api-key ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > .run/api-key
cat .run/api-key
