#!/usr/bin/env bash
# The demo Grafana for `make start` and the e2e tests: a FAKE (Grafana is not packaged for
# Debian), packages/app/e2e-tests/fakeGrafana/server.js on 127.0.0.1:3100. It answers Grafana's
# single-panel embed URL (/d-solo/<uid>/?panelId=..&from=..&to=..&var-..) with a page naming
# what it received, so the Grafana panels card of payments-api shows which panel and time
# range it asked for. It renders no charts. ops.grafana.baseUrl in app-config.yaml points here.
#
#   scripts/demo/grafana.sh start|stop
#
# State and log under $OPSDECK_DEMO_DIR/grafana/. Environment: OPSDECK_GRAFANA_PORT (3100).

set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${OPSDECK_DEMO_DIR:-$ROOT/.run/demo}/grafana"
PORT="${OPSDECK_GRAFANA_PORT:-3100}"
PIDFILE="$DIR/grafana.pid"
SERVER="$ROOT/packages/app/e2e-tests/fakeGrafana/server.js"

log() { echo "[demo:grafana] $*" >&2; }

# shellcheck source=lib/pidfile.bash
. "$ROOT/scripts/demo/lib/pidfile.bash"

running() { pidfile_running "$PIDFILE"; }

ready() {
  "$(demo_node)" -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "http://127.0.0.1:$PORT/api/health"
}

start() {
  mkdir -p "$DIR"
  if running; then
    log "already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"
    return 0
  fi
  demo_node >/dev/null || return 1
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    log "port $PORT is taken by another process; set OPSDECK_GRAFANA_PORT"
    return 1
  fi
  OPSDECK_GRAFANA_PORT="$PORT" pidfile_start_node "$PIDFILE" "$DIR/grafana.log" 10 "$SERVER" ready ||
    return 1
  log "fake Grafana started (pid $(cat "$PIDFILE")) on http://127.0.0.1:$PORT"
}

stop() {
  pidfile_stop_logged "$PIDFILE"
}

demo_main scripts/demo/grafana.sh "${1:-}"
