#!/usr/bin/env bash
# The demo's Kubernetes cluster: a fake API server (the one the tests use, see
# plugins/ops-node/README.md) on 127.0.0.1:6449 with the example services' Deployments, their
# ReplicaSets and pods, replaying the production deployments of examples/ops-records.yaml.
# app-config.yaml points kubernetes.clusterLocatorMethods at it.
#
#   scripts/demo/kubernetes.sh start|stop
#
# State and log under $OPSDECK_DEMO_DIR/kubernetes/; idempotent both ways.

set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${OPSDECK_DEMO_DIR:-$ROOT/.run/demo}/kubernetes"
PID_FILE="$DIR/pid"
LOG="$DIR/cluster.log"
PORT="${OPSDECK_DEMO_K8S_PORT:-6449}"
TOKEN="${OPSDECK_DEMO_K8S_TOKEN:-opsdeck-demo-k8s-token}"

log() { echo "[demo kubernetes] $*" >&2; }

# shellcheck source=lib/pidfile.bash
. "$ROOT/scripts/demo/lib/pidfile.bash"

running() { pidfile_running "$PID_FILE"; }

answers() {
  curl -sf -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/apis/apps/v1/deployments" >/dev/null 2>&1
}

start() {
  mkdir -p "$DIR"
  if running; then
    log "already running (pid $(cat "$PID_FILE")) on 127.0.0.1:$PORT"
    return 0
  fi
  if answers; then
    log "port $PORT is taken by another process; stop it or set OPSDECK_DEMO_K8S_PORT"
    return 1
  fi
  demo_node >/dev/null || return 1
  OPSDECK_DEMO_K8S_PORT="$PORT" OPSDECK_DEMO_K8S_TOKEN="$TOKEN" \
    pidfile_start_node "$PID_FILE" "$LOG" 60 "$ROOT/scripts/demo/kubernetes/cluster.ts" answers ||
    return 1
  log "fake Kubernetes API server on 127.0.0.1:$PORT (pid $(cat "$PID_FILE"))"
}

stop() {
  pidfile_stop_logged "$PID_FILE"
}

demo_main scripts/demo/kubernetes.sh "${1:-}"
