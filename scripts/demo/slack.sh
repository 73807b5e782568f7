#!/usr/bin/env bash
# The demo's Slack: a FAKE (Slack is a SaaS that cannot be reached here) of the Slack Web API
# methods Backstage's Slack notifications module calls (chat.postMessage, chat.update,
# users.lookupByEmail, auth.test), in Slack's wire format; the one the backend's tests use
# (packages/backend/src/__testUtils__/fakeSlack). scripts/demo/slack/server.ts gives it the
# examples' channels (#payments-oncall of payments-api, #team-payments, #oncall) and people.
# Its page http://127.0.0.1:3300/ shows what OpsDeck sent (JSON: /received).
#
#   scripts/demo/slack.sh start|stop
#
# The module has no URL setting: the backend reaches this fake only when started with the
# preload of scripts/demo/lib/slack-routing.bash (make start and the e2e tests source it; the
# README's Slack section says how). State and log under $OPSDECK_DEMO_DIR/slack/; idempotent
# both ways. Environment: OPSDECK_SLACK_PORT (3300), OPSDECK_SLACK_TOKEN (the demo token of
# app-config.yaml).

set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${OPSDECK_DEMO_DIR:-$ROOT/.run/demo}/slack"
PORT="${OPSDECK_SLACK_PORT:-3300}"
TOKEN="${OPSDECK_SLACK_TOKEN:-xoxb-opsdeck-demo-only}"
PIDFILE="$DIR/slack.pid"
LOG="$DIR/slack.log"

log() { echo "[demo:slack] $*" >&2; }

# shellcheck source=lib/pidfile.bash
. "$ROOT/scripts/demo/lib/pidfile.bash"

running() { pidfile_running "$PIDFILE"; }

# Accepts the demo token, as the module's client sends it.
answers() {
  curl -sf -X POST -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/api/auth.test" 2>/dev/null | grep -q '"ok":true'
}

start() {
  mkdir -p "$DIR"
  if running; then
    log "already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"
    return 0
  fi
  demo_node >/dev/null || return 1
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    log "port $PORT is taken by another process; set OPSDECK_SLACK_PORT"
    return 1
  fi
  OPSDECK_SLACK_PORT="$PORT" OPSDECK_SLACK_TOKEN="$TOKEN" \
    pidfile_start_node "$PIDFILE" "$LOG" 60 "$ROOT/scripts/demo/slack/server.ts" answers ||
    return 1
  log "fake Slack started (pid $(cat "$PIDFILE")) on http://127.0.0.1:$PORT (what it received: /)"
}

stop() {
  pidfile_stop_logged "$PIDFILE"
}

demo_main scripts/demo/slack.sh "${1:-}"
