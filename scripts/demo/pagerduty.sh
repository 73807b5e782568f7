#!/usr/bin/env bash
# The demo's PagerDuty: a FAKE (PagerDuty is a SaaS that cannot be run here) of the REST API v2
# endpoints the PagerDuty module reads, GET /services/{id} and GET /oncalls, in PagerDuty's JSON
# wire format; the one the module's tests use (plugins/ops-backend-module-pagerduty/README.md).
# scripts/demo/pagerduty/server.ts gives it orders-api's service and a weekly rotation of
# team-orders. ops.pagerduty in app-config.yaml points the module here with the demo token.
#
#   scripts/demo/pagerduty.sh start|stop
#
# State and log under $OPSDECK_DEMO_DIR/pagerduty/; idempotent both ways. Environment:
# OPSDECK_PAGERDUTY_PORT (3200), OPSDECK_PAGERDUTY_TOKEN (the demo token of app-config.yaml).

set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${OPSDECK_DEMO_DIR:-$ROOT/.run/demo}/pagerduty"
PORT="${OPSDECK_PAGERDUTY_PORT:-3200}"
TOKEN="${OPSDECK_PAGERDUTY_TOKEN:-pagerduty-demo-only}"
PIDFILE="$DIR/pagerduty.pid"
LOG="$DIR/pagerduty.log"

log() { echo "[demo:pagerduty] $*" >&2; }

# shellcheck source=lib/pidfile.bash
. "$ROOT/scripts/demo/lib/pidfile.bash"

running() { pidfile_running "$PIDFILE"; }

# Answers orders-api's service with the demo token, as the module asks.
answers() {
  curl -sf -H "Authorization: Token token=$TOKEN" \
    "http://127.0.0.1:$PORT/services/P7R2QXK" >/dev/null 2>&1
}

start() {
  mkdir -p "$DIR"
  if running; then
    log "already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"
    return 0
  fi
  demo_node >/dev/null || return 1
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    log "port $PORT is taken by another process; set OPSDECK_PAGERDUTY_PORT"
    return 1
  fi
  OPSDECK_PAGERDUTY_PORT="$PORT" OPSDECK_PAGERDUTY_TOKEN="$TOKEN" \
    pidfile_start_node "$PIDFILE" "$LOG" 60 "$ROOT/scripts/demo/pagerduty/server.ts" answers ||
    return 1
  log "fake PagerDuty started (pid $(cat "$PIDFILE")) on http://127.0.0.1:$PORT"
}

stop() {
  pidfile_stop_logged "$PIDFILE"
}

demo_main scripts/demo/pagerduty.sh "${1:-}"
