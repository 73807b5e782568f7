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

running() {
  [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

answers() {
  curl -sf -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/apis/apps/v1/deployments" >/dev/null 2>&1
}

case "${1:-}" in
  start)
    mkdir -p "$DIR"
    if running; then
      log "already running (pid $(cat "$PID_FILE")) on 127.0.0.1:$PORT"
      exit 0
    fi
    if answers; then
      log "port $PORT is taken by another process; stop it or set OPSDECK_DEMO_K8S_PORT"
      exit 1
    fi
    node_bin="$(command -v node)" || {
      log "node is not on PATH (export PATH=\$PWD/.toolchain/bin:\$PATH)"
      exit 1
    }
    cd "$ROOT" || exit 1
    OPSDECK_DEMO_K8S_PORT="$PORT" OPSDECK_DEMO_K8S_TOKEN="$TOKEN" \
      ESBK_TSCONFIG_PATH="$ROOT/tsconfig.json" \
      nohup "$node_bin" --require "$ROOT/node_modules/@backstage/cli-node/config/nodeTransform.cjs" \
      "$ROOT/scripts/demo/kubernetes/cluster.ts" >"$LOG" 2>&1 &
    echo $! >"$PID_FILE"
    for _ in $(seq 1 60); do
      if answers; then
        log "fake Kubernetes API server on 127.0.0.1:$PORT (pid $(cat "$PID_FILE"))"
        exit 0
      fi
      if ! running; then break; fi
      sleep 1
    done
    log "the fake Kubernetes API server did not start; see $LOG"
    tail -n 20 "$LOG" >&2
    kill "$(cat "$PID_FILE")" 2>/dev/null
    rm -f "$PID_FILE"
    exit 1
    ;;
  stop)
    if running; then
      pid="$(cat "$PID_FILE")"
      kill "$pid" 2>/dev/null
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null
      log "stopped"
    fi
    rm -f "$PID_FILE"
    exit 0
    ;;
  *)
    echo "usage: scripts/demo/kubernetes.sh start|stop" >&2
    exit 2
    ;;
esac
