#!/usr/bin/env bash
# Installs RabbitMQ from Debian when missing and starts it when it is not answering. Idempotent; needs root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  echo "Installing RabbitMQ from Debian..."
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null
fi

if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
  echo "Starting RabbitMQ..."
  rabbitmq-server -detached >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do
    rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1 && break
    sleep 1
  done
fi

rabbitmqctl -q await_startup --timeout 30 >/dev/null
rabbitmq-plugins -q enable rabbitmq_management >/dev/null 2>&1 || true
# RunDailyBatch stays unacknowledged while ingestion paces the batch's chunks: 6 hours instead of the default 30 minutes
# (channels opened from now on; Compose and Kubernetes set the same at the broker's start).
rabbitmqctl -q eval 'application:set_env(rabbit, consumer_timeout, 21600000).' >/dev/null
# Real-time messages (a webhook's ten deals, their features, their scores: tens of KB each) are kept in their queue's
# own index instead of the shared message store, whose file roll-over and compaction every ~10 s under 200 changes/s
# held every queue's deliveries for 10-40 ms (tests/DealRisk.Benchmarks/MEASUREMENTS.md, "The broker's message store
# and the real-time tail"). The large batch chunks (scored and featurized chunks, 200 KB and more) still go to the
# store. Queues declared from now on; Compose and Kubernetes set the same at the broker's start.
rabbitmqctl -q eval 'application:set_env(rabbit, queue_index_embed_msgs_below, 131072).' >/dev/null
echo "RabbitMQ is running (amqp://localhost:5672, management http://localhost:15672)."

# A virtual host named in the environment is created here, so the services find it (they refuse to start without it).
vhost=${Bus__RabbitMq__VirtualHost:-/}
if [ "$vhost" != "/" ]; then
  rabbitmqctl -q add_vhost "$vhost" >/dev/null 2>&1 || true
  rabbitmqctl -q set_permissions -p "$vhost" "${Bus__RabbitMq__Username:-guest}" ".*" ".*" ".*" >/dev/null
  echo "RabbitMQ virtual host '$vhost' is ready for ${Bus__RabbitMq__Username:-guest}."
fi
