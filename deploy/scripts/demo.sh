#!/usr/bin/env bash
# Feeds the running services (make up) a generated sample through the ingestion API and shows the report.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -s .run/pids ] || { echo "Services are not running: run 'make up' first."; exit 1; }
api_key=$(deploy/scripts/api-key.sh)
as_of=$(TZ=America/Los_Angeles date +%F)
sample=.data/samples/demo-$as_of.jsonl
[ -f "$sample" ] || dotnet services/AllInOne/bin/Release/net10.0/dealrisk.dll generate --deals 5000 --as-of "$as_of" --out "$sample"

summary="results/$as_of/executive-summary.md"
before=$(stat -c %Y "$summary" 2>/dev/null || echo 0)
echo "Importing $sample and starting the batch as of $as_of..."
curl -fsS -X POST "http://127.0.0.1:5101/imports?format=dealrisk-jsonl&asOf=$as_of&runBatch=true" \
  -H "X-Api-Key: $api_key" -H "Content-Type: application/x-ndjson" --data-binary "@$sample"
echo
for _ in $(seq 1 120); do
  now=$(stat -c %Y "$summary" 2>/dev/null || echo 0)
  if [ "$now" -gt "$before" ]; then
    sed -n '1,12p' "$summary"
    echo "Report: results/$as_of/risk-report.csv"
    exit 0
  fi
  sleep 1
done
echo "No report after 120 s; see .run/logs/"
exit 1
