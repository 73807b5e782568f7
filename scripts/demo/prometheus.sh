#!/usr/bin/env bash
# Demo system: the demo service (packages/demo-service, simulated traffic of payments-api,
# orders-api, search-api and maintenance-api instrumented with prom-client) on 127.0.0.1:9470, scraped every 5 s
# by Prometheus (Debian package, /usr/bin/prometheus) on 127.0.0.1:9090, with 2 days of retention.
# The example services' OpenSLO documents (examples/*/slos.yaml) query these series, so
# `make start` shows live SLOs. Change the traffic while it runs:
#
#   curl -X POST -d '{"service":"payments-api","errorRate":0.2}' http://127.0.0.1:9470/profile
#
#   scripts/demo/prometheus.sh start|stop     (idempotent; state and logs in $OPSDECK_DEMO_DIR/prometheus/)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${OPSDECK_DEMO_DIR:-$ROOT/.run/demo}/prometheus"
PROMETHEUS_BIN="${PROMETHEUS_BIN:-/usr/bin/prometheus}"
PROM_ADDR="127.0.0.1:${DEMO_PROMETHEUS_PORT:-9090}"
DEMO_PORT="${DEMO_SERVICE_PORT:-9470}"
DEMO_ADDR="127.0.0.1:$DEMO_PORT"

log() { echo "[demo prometheus] $*" >&2; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_ready() { # url seconds
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

stop_pid() { # pidfile
  alive "$1" || { rm -f "$1"; return 0; }
  local pid i
  pid="$(cat "$1")"
  kill "$pid" 2>/dev/null
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  rm -f "$1"
}

start() {
  mkdir -p "$STATE/data" "$STATE/rules"
  if [ ! -x "$PROMETHEUS_BIN" ]; then
    log "$PROMETHEUS_BIN not found: install the Debian package prometheus (scripts/system-packages.sh)"
    return 1
  fi
  local node_bin
  node_bin="$(command -v node || echo "$ROOT/.toolchain/bin/node")"

  if alive "$STATE/demo-service.pid"; then
    log "demo service already running on $DEMO_ADDR"
  else
    DEMO_SERVICE_PORT="$DEMO_PORT" DEMO_SERVICE_HOST=127.0.0.1 \
      nohup "$node_bin" "$ROOT/packages/demo-service/src/server.js" \
      >"$STATE/demo-service.log" 2>&1 &
    echo $! >"$STATE/demo-service.pid"
    if ! wait_ready "http://$DEMO_ADDR/healthz" 10; then
      log "demo service did not start on $DEMO_ADDR (port taken?); see $STATE/demo-service.log:"
      tail -5 "$STATE/demo-service.log" >&2
      stop_pid "$STATE/demo-service.pid"
      return 1
    fi
  fi

  cat >"$STATE/prometheus.yml" <<YAML
# Written by scripts/demo/prometheus.sh; edit the script, not this file.
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - $STATE/rules/*.yml
scrape_configs:
  - job_name: demo-service
    static_configs:
      - targets: ['$DEMO_ADDR']
YAML
  if alive "$STATE/prometheus.pid"; then
    log "Prometheus already running on $PROM_ADDR"
    return 0
  fi
  nohup "$PROMETHEUS_BIN" \
    --config.file="$STATE/prometheus.yml" \
    --storage.tsdb.path="$STATE/data" \
    --storage.tsdb.retention.time=2d \
    --web.listen-address="$PROM_ADDR" \
    --web.enable-lifecycle \
    >"$STATE/prometheus.log" 2>&1 &
  echo $! >"$STATE/prometheus.pid"
  if ! wait_ready "http://$PROM_ADDR/-/ready" 30; then
    log "Prometheus did not become ready on $PROM_ADDR (port taken?); see $STATE/prometheus.log:"
    tail -5 "$STATE/prometheus.log" >&2
    stop_pid "$STATE/prometheus.pid"
    return 1
  fi
  log "Prometheus on http://$PROM_ADDR scraping the demo service on http://$DEMO_ADDR"
}

stop() {
  stop_pid "$STATE/prometheus.pid"
  stop_pid "$STATE/demo-service.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: scripts/demo/prometheus.sh start|stop" >&2
    exit 2
    ;;
esac
