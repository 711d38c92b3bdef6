#!/usr/bin/env bash
# Stops the services `make up` started, by the process ids it recorded; RabbitMQ keeps running.
set -uo pipefail
cd "$(dirname "$0")/../.."
[ -s .run/pids ] || { echo "Nothing to stop."; exit 0; }
while read -r pid name _; do
  if kill "$pid" 2>/dev/null; then echo "Stopped $name (pid $pid)"; fi
done < .run/pids
rm -f .run/pids
