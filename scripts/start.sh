#!/usr/bin/env bash
# make start: the demo on a bare machine.
#
#   scripts/start.sh               # everything below, then the app until Ctrl-C
#   scripts/start.sh --setup-only  # steps 1 and 2 only: what a bare machine needs, then stop
#
#   1. the Debian packages the demo systems need (scripts/system-packages.sh --demo: as root it
#      installs every missing one in one apt-get; otherwise it prints the apt-get line and fails)
#   2. Node 22 and yarn (scripts/bootstrap.sh)
#   3. node_modules when yarn.lock or a package.json changed
#   4. a fresh demo state: scripts/demo.sh reset, then start (state in .run/demo; the e2e tests
#      keep theirs in .run/e2e/demo, so the demo never opens on what the tests left behind)
#   5. the app on :3000 and the backend on :7007 (yarn start); once both answer, the runbooks are
#      built and indexed (scripts/techdocs-warmup.sh) and one block says what runs where.
# The demo systems stop when this stops.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
# runuser (util-linux) lives in /usr/sbin, which a non-login PATH may lack.
case ":$PATH:" in *":/usr/sbin:"*) ;; *) export PATH="$PATH:/usr/sbin:/sbin" ;; esac

setup_only=0
case "${1:-}" in
  "") ;;
  --setup-only) setup_only=1 ;;
  *)
    echo "usage: scripts/start.sh [--setup-only]" >&2
    exit 2
    ;;
esac

APP_URL="http://localhost:3000"
BACKEND_URL="http://localhost:7007"
export OPSDECK_DEMO_DIR="$ROOT/.run/demo"

log() { echo "[start] $*" >&2; }

# 1. Every missing package at once, before anything is started: a bare machine gets one
# apt-get (or one printed line), not a failure per missing binary.
. "$ROOT/scripts/system-packages.sh"
opsdeck_ensure_deb_packages "${OPSDECK_DEMO_DEB_PACKAGES[@]}" || {
  log "the demo needs the Debian packages above; install them and run make start again"
  exit 1
}
# The demo's PostgreSQL for the backend too (app-config.yaml scratch.binDir): the newest of 15+.
pg_bin="$(opsdeck_pg_bin)" && export OPSDECK_PG_BIN="$pg_bin"
# 2. Node 22 and yarn.
OPSDECK_BOOTSTRAP_LIB=1 . "$ROOT/scripts/bootstrap.sh"
opsdeck_bootstrap --no-install || exit 1
if [ "$setup_only" = 1 ]; then
  log "set-up done: Debian packages, node $(node -v), yarn (--setup-only: nothing started)"
  exit 0
fi
# 3. node_modules.
opsdeck_yarn_install || exit 1

for port in 3000 7007; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port is already in use: stop what runs there (another make start, or make e2e) and try again"
    exit 1
  fi
done

# 4. A fresh demo: what an earlier run left (a failover, drills, an injected error rate) goes.
scripts/demo.sh reset || exit 1
scripts/demo.sh start || {
  scripts/demo.sh stop
  exit 1
}

http_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1")" = 200 ]; }

# Waits for the app and the backend, builds the runbooks, then prints what runs where.
announce_when_ready() {
  local t0=$SECONDS
  until http_ok "$BACKEND_URL/.backstage/health/v1/readiness" && http_ok "$APP_URL"; do
    sleep 2
  done
  local docs="built and searchable"
  TECHDOCS_WARMUP_TIMEOUT=180 scripts/techdocs-warmup.sh "$BACKEND_URL" ||
    docs="NOT ready (see the [techdocs] lines above); they build when first opened"
  cat >&2 <<BLOCK

============================================================================================
 OpsDeck is ready ($((SECONDS - t0)) s):  $APP_URL
   (sign in as guest; payments-api, orders-api and maintenance-api have an Operations tab)
--------------------------------------------------------------------------------------------
  App (frontend)         $APP_URL
  Backend                $BACKEND_URL (SQLite in memory: restarts start empty)
  Runbooks (TechDocs)    $docs
$(scripts/demo.sh describe)
 Ctrl-C stops the app, the backend and the demo systems.
============================================================================================

BLOCK
}

WATCHER=""
cleanup() {
  [ -n "$WATCHER" ] && kill "$WATCHER" 2>/dev/null
  scripts/demo.sh stop
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 5.
announce_when_ready &
WATCHER=$!
# Slack notifications go to the demo's fake Slack (scripts/demo/slack.sh), not slack.com
. "$ROOT/scripts/demo/lib/slack-routing.bash" && opsdeck_route_slack_to_fake
yarn start
