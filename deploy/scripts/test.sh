#!/usr/bin/env bash
# The README's test command: starts what the tests need, runs every test project, and ends with one totals line.
set -uo pipefail
cd "$(dirname "$0")/../.."

deploy/scripts/ensure-rabbitmq.sh || { echo "RabbitMQ could not be started"; exit 1; }
deploy/scripts/ensure-test-tools.sh || { echo "The test tools (Chromium, aiosmtpd) could not be installed"; exit 1; }

echo "Building..."
dotnet build DealRisk.sln -c Release -nologo -v q -clp:ErrorsOnly || exit 1

filter=()
if [ -z "${DEALRISK_MONGODB_URL:-}" ] && ! docker info >/dev/null 2>&1; then
  echo "MongoDB not tested: no DEALRISK_MONGODB_URL and no Docker engine (the embedded store ran the storage contract tests)."
  filter=(--filter "Category!=MongoDB")
fi

mkdir -p results
log=results/test-output.log
dotnet test DealRisk.sln -c Release --no-build -nologo "${filter[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0; projects=0
while IFS= read -r line; do
  p=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line")
  f=$(sed -nE 's/.*Failed: *([0-9]+).*/\1/p' <<<"$line")
  s=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0})); projects=$((projects + 1))
done < <(grep -E '^(Passed|Failed)! +- +Failed: ' "$log")

expected=$(find tests -name '*.Tests.csproj' | wc -l)
if [ "$projects" -ne "$expected" ]; then
  echo "Only $projects of $expected test projects reported results (a test host crashed or a project ran no tests)."
  [ "$status" -eq 0 ] && status=1
fi
# Named again just above the totals, where a log cut to its tail still shows them.
grep -E '^ +Failed .+ \[[^]]+\]$' "$log" | sed -E 's/^ +Failed /Failed test: /'
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
