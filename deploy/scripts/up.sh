#!/usr/bin/env bash
# Starts RabbitMQ and the four services as separate processes (RabbitMQ bus; embedded stores, or MongoDB when
# DEALRISK_MONGODB_URL is set). Process ids go to .run/pids so `make down` stops exactly what this started.
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/scripts/ensure-rabbitmq.sh
dotnet build DealRisk.sln -c Release -nologo -v q -clp:ErrorsOnly

mkdir -p .run/logs
if [ -s .run/pids ]; then echo "Already up (see .run/pids); run 'make down' first."; exit 1; fi
api_key=$(deploy/scripts/api-key.sh)
provider=Embedded; [ -n "${DEALRISK_MONGODB_URL:-}" ] && provider=MongoDb

port=5101
for service in Ingestion Features Scoring Notification; do
  name=$(tr '[:upper:]' '[:lower:]' <<<"$service")
  env ASPNETCORE_URLS="http://127.0.0.1:$port" \
      Bus__Transport=RabbitMq \
      Storage__Provider="$provider" \
      Storage__DataDirectory="$PWD/.data/distributed" \
      Reports__OutputDirectory="$PWD/results" \
      Ingestion__ApiKey="$api_key" \
      OTEL_SERVICE_NAME="$name" \
      nohup dotnet "services/$service/bin/Release/net10.0/DealRisk.$service.dll" > ".run/logs/$name.log" 2>&1 &
  echo "$! $name $port" >> .run/pids
  port=$((port + 1))
done

while read -r pid name port; do
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "$name exited; see .run/logs/$name.log"; exit 1; }
    sleep 1
  done
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 || { echo "$name did not become ready within 60 s; see .run/logs/$name.log"; exit 1; }
  echo "$name is ready on http://127.0.0.1:$port (pid $pid)"
done < .run/pids
if [ -n "${Ingestion__ApiKey:-}" ]; then key_from=Ingestion__ApiKey; elif [ -n "${DEALRISK_API_KEY:-}" ]; then key_from=DEALRISK_API_KEY; else key_from=.run/api-key; fi
echo "API key for ingestion (X-Api-Key header): from $key_from"
