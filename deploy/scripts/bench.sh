#!/usr/bin/env bash
# make bench: measured figures go to results/bench/*.json. Usage: bench.sh [open deals for the daily batch]
set -euo pipefail
cd "$(dirname "$0")/../.."
deals=${1:-1000000}
dotnet build tests/DealRisk.Benchmarks -c Release -nologo -v q -clp:ErrorsOnly
bench="dotnet tests/DealRisk.Benchmarks/bin/Release/net10.0/DealRisk.Benchmarks.dll"
$bench seed-batch --deals "$deals"
$bench daily-batch --deals "$deals"
$bench features-batch --deals "$deals"
$bench train-model --deals 100000
$bench model-batch-scoring --deals 200000
$bench rescore-deal --messages 5000
$bench rescore-deal --messages 5000 --rules-only
$bench track-record --deals 50000 --batches 20
$bench history-depth --deals 100000 --days 60
deploy/scripts/ensure-rabbitmq.sh
$bench daily-batch --deals "$deals" --transport RabbitMq
vhost="dealrisk-bench-webhooks-$$"
rabbitmqctl -q add_vhost "$vhost" && rabbitmqctl -q set_permissions -p "$vhost" guest ".*" ".*" ".*"
trap 'rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true' EXIT
$bench webhooks --vhost "$vhost"
$bench realtime --rate 200 --seconds 60 --during-batch "$deals"
