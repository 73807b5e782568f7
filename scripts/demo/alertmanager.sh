#!/usr/bin/env bash
# The demo Alertmanager for `make start`: Debian's prometheus-alertmanager on 127.0.0.1:9093,
# whose webhook receiver notifies OpsDeck (POST /api/ops/alerts/alertmanager on the backend,
# :7007) with the demo external access token of app-config.yaml. Alerts posted to its API
# (POST http://127.0.0.1:9093/api/v2/alerts, labels alertname, service, severity) open
# incidents on the service's Operations tab.
#
#   scripts/demo/alertmanager.sh start|stop
#
# State and log under $OPSDECK_DEMO_DIR/alertmanager/. Environment: OPSDECK_ALERTMANAGER_PORT (9093),
# OPSDECK_BACKEND_URL (http://localhost:7007), OPSDECK_ALERTMANAGER_TOKEN (the demo token).

set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${OPSDECK_DEMO_DIR:-$ROOT/.run/demo}/alertmanager"
BIN="${OPSDECK_ALERTMANAGER_BIN:-/usr/bin/prometheus-alertmanager}"
PORT="${OPSDECK_ALERTMANAGER_PORT:-9093}"
BACKEND_URL="${OPSDECK_BACKEND_URL:-http://localhost:7007}"
TOKEN="${OPSDECK_ALERTMANAGER_TOKEN:-opsdeck-demo-alertmanager-token}"
PIDFILE="$DIR/alertmanager.pid"

log() { echo "[demo:alertmanager] $*" >&2; }

# shellcheck source=lib/pidfile.bash
. "$ROOT/scripts/demo/lib/pidfile.bash"

running() { pidfile_running "$PIDFILE"; }

ready() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/-/ready" 2>/dev/null
  else
    node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
      "http://127.0.0.1:$PORT/-/ready"
  fi
}

start() {
  if running; then
    log "already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"
    return 0
  fi
  if [ ! -x "$BIN" ]; then
    log "$BIN is missing: install prometheus-alertmanager (scripts/system-packages.sh)"
    return 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    log "port $PORT is taken by another process; set OPSDECK_ALERTMANAGER_PORT"
    return 1
  fi
  # A fresh notification log every start: what an earlier demo run notified
  # would otherwise hold back the notifications of the same alert groups.
  rm -rf "$DIR/data"
  mkdir -p "$DIR/data"
  # Short waits so a demo alert shows within seconds; resolved alerts are sent too.
  cat >"$DIR/alertmanager.yml" <<YAML
route:
  receiver: opsdeck
  group_by: [alertname, service]
  group_wait: 2s
  group_interval: 10s
  repeat_interval: 1h
receivers:
  - name: opsdeck
    webhook_configs:
      - url: $BACKEND_URL/api/ops/alerts/alertmanager
        send_resolved: true
        http_config:
          authorization:
            credentials: $TOKEN
YAML
  nohup "$BIN" \
    --config.file="$DIR/alertmanager.yml" \
    --storage.path="$DIR/data" \
    --web.listen-address="127.0.0.1:$PORT" \
    --cluster.listen-address= \
    >"$DIR/alertmanager.log" 2>&1 &
  echo $! >"$PIDFILE"
  pidfile_check_ready "$PIDFILE" "$DIR/alertmanager.log" ready || return 1
  log "started (pid $(cat "$PIDFILE")) on http://127.0.0.1:$PORT, notifying $BACKEND_URL"
}

stop() {
  pidfile_stop_logged "$PIDFILE"
}

demo_main scripts/demo/alertmanager.sh "${1:-}"
