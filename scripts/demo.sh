#!/usr/bin/env bash
# The demo systems behind the example services (Prometheus and a traffic generator, a
# PostgreSQL primary + replica, ...): one script per system in scripts/demo/, each taking
# `start` or `stop`, keeping its state under $OPSDECK_DEMO_DIR/<name>/ and idempotent both ways.
#
#   scripts/demo.sh start      # start every demo system (make start and the e2e tests do this)
#   scripts/demo.sh stop       # stop them all, in reverse order
#   scripts/demo.sh reset      # stop them all and delete their state: the next start is fresh
#   scripts/demo.sh describe   # one line per demo system: what it is and where it listens
#
# OPSDECK_DEMO_DIR (absolute) is where the state lives: .run/demo for `make start`, .run/e2e/demo
# for the end-to-end tests (scripts/e2e.sh), so the demo never opens on what the tests left
# (their injected error periods in Prometheus, a database after a failover). app-config.yaml
# reads the same variable for the demo database's backups and connection file.
#
# A demo script that fails to start stops the whole start: the portal would show errors
# instead of live data, which is worse than a clear message.

set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
export OPSDECK_DEMO_DIR="${OPSDECK_DEMO_DIR:-$ROOT/.run/demo}"
case "$OPSDECK_DEMO_DIR" in
  /*) ;;
  *)
    echo "OPSDECK_DEMO_DIR must be an absolute path (the backend resolves it from packages/backend): $OPSDECK_DEMO_DIR" >&2
    exit 2
    ;;
esac

# The addresses are the scripts' defaults and the environment variables they read; app-config.yaml
# points the portal at the same ones.
describe() {
  local k8s="${OPSDECK_DEMO_K8S_PORT:-6449}" prom="${DEMO_PROMETHEUS_PORT:-9090}"
  local traffic="${DEMO_SERVICE_PORT:-9470}" am="${OPSDECK_ALERTMANAGER_PORT:-9093}"
  local grafana="${OPSDECK_GRAFANA_PORT:-3100}" pagerduty="${OPSDECK_PAGERDUTY_PORT:-3200}"
  printf '  %-22s %s\n' \
    "Prometheus" "http://127.0.0.1:$prom (scrapes the demo traffic of http://127.0.0.1:$traffic)" \
    "Alertmanager" "http://127.0.0.1:$am (notifies the backend's /api/ops/alerts/alertmanager)" \
    "PostgreSQL payments-db" "primary 127.0.0.1:5455, replica 127.0.0.1:5456, database payments" \
    "Patroni orders-db" "members 127.0.0.1:5465 and :5466 (REST API :8018, :8019), etcd :2479, PgBouncer :6442, database orders; pgBackRest repository in orders-db/pgbackrest" \
    "MariaDB maintenance-db" "127.0.0.1:3407, database tasks_db; nightly-style dumps in maintenance-db/backups" \
    "Kubernetes (fake)" "http://127.0.0.1:$k8s (the example services' Deployments)" \
    "Grafana (fake)" "http://127.0.0.1:$grafana (answers the panel embeds)" \
    "PagerDuty (fake)" "http://127.0.0.1:$pagerduty (orders-api's on-call, REST API v2)" \
    "Slack (fake)" "http://127.0.0.1:${OPSDECK_SLACK_PORT:-3300} (what OpsDeck posted: #payments-oncall, #oncall, DMs)" \
    "State and logs" "${OPSDECK_DEMO_DIR#"$ROOT/"}/"
}

action="${1:-}"
case "$action" in
  start) scripts=("$ROOT"/scripts/demo/*.sh) ;;
  stop | reset)
    scripts=()
    for s in "$ROOT"/scripts/demo/*.sh; do scripts=("$s" "${scripts[@]}"); done
    ;;
  describe)
    describe
    exit 0
    ;;
  *)
    echo "usage: scripts/demo.sh start|stop|reset|describe" >&2
    exit 2
    ;;
esac
mkdir -p "$OPSDECK_DEMO_DIR"
rc=0
for script in "${scripts[@]}"; do
  [ -e "$script" ] || continue
  name="$(basename "$script" .sh)"
  # reset: every script stops, then the whole state directory goes.
  step="$action"
  [ "$action" = reset ] && step=stop
  if ! bash "$script" "$step"; then
    echo "[demo] $name: $step failed" >&2
    rc=1
    [ "$action" = start ] && break
  fi
done
if [ "$action" = reset ]; then
  if [ "$rc" = 0 ]; then
    rm -rf "$OPSDECK_DEMO_DIR"
    echo "[demo] reset: deleted ${OPSDECK_DEMO_DIR#"$ROOT/"}" >&2
  else
    echo "[demo] reset: a demo system did not stop; kept ${OPSDECK_DEMO_DIR#"$ROOT/"}" >&2
  fi
fi
exit "$rc"
