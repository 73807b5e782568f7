#!/usr/bin/env bash
# End-to-end tests: start the app (:3000) and backend (:7007), wait until both answer, run
# Playwright (playwright.config.ts: Debian's /usr/bin/chromium), then stop every process it
# started, whatever happened.
#
#   scripts/e2e.sh [playwright args...]
#
# The app is its production build (`yarn workspace app build`, built while the demo systems and
# the backend start), served by scripts/lib/serve-app.cjs: every test opens the app in a new
# browser context, and on the shared two-core machine the dev server's bundle (about 24 MB,
# unminified, eval'd with source maps) took 25 to 34 s to show the sign-in page, the build's
# (1.5 MB) 4 to 5 s; the build itself takes about a minute, hidden behind the demo's start.
# app.test.ts and oncall.test.ts, start to stop: 690 s with the dev server (one test timed out
# and passed on retry), 296 s with the build.
# E2E_APP=dev runs the dev server of `yarn start` instead (hot reload while writing a test).
#
# Logs: .run/e2e-servers.log (demo systems, backend, app), .run/e2e-app-build.log,
# .run/e2e-playwright.log.
# The demo systems keep their state in .run/e2e/demo (OPSDECK_DEMO_DIR), apart from make start's
# .run/demo: what the tests inject (error periods, failovers) never shows in the demo.
# Environment: E2E_START_TIMEOUT (seconds to wait for the servers, default 300), E2E_APP
# (build, the default, or dev).
# Expects node 22 and yarn on PATH (scripts/bootstrap.sh) and installed dependencies.

set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
RUN_DIR="$ROOT/.run"
mkdir -p "$RUN_DIR"
# Read by scripts/demo.sh, app-config.yaml (the demo database's files) and the tests.
export OPSDECK_DEMO_DIR="$RUN_DIR/e2e/demo"
# The newest PostgreSQL server of 15 or newer, for the demo database and the backend's drills
# (app-config.yaml scratch.binDir).
. "$ROOT/scripts/lib/postgres-bin.bash"
pg_bin="$(opsdeck_pg_bin)" && export OPSDECK_PG_BIN="$pg_bin"
SERVER_LOG="$RUN_DIR/e2e-servers.log"
BUILD_LOG="$RUN_DIR/e2e-app-build.log"
E2E_APP="${E2E_APP:-build}"
case "$E2E_APP" in
  build | dev) ;;
  *)
    echo "[e2e] E2E_APP must be build or dev, not '$E2E_APP'" >&2
    exit 2
    ;;
esac
PLAYWRIGHT_LOG="$RUN_DIR/e2e-playwright.log"
APP_URL="http://localhost:3000"
BACKEND_URLS=(
  "http://localhost:7007/.backstage/health/v1/readiness"
  "http://localhost:7007/healthcheck"
)
TIMEOUT="${E2E_START_TIMEOUT:-300}"

if ! command -v yarn >/dev/null 2>&1 || [ "$(node -v 2>/dev/null | cut -d. -f1)" != v22 ]; then
  OPSDECK_BOOTSTRAP_LIB=1 . "$ROOT/scripts/bootstrap.sh"
  opsdeck_bootstrap --no-install || exit 1
fi

log() { echo "[e2e] $*"; }

# Prints the HTTP status of URL (000 when nothing answers).
http_status() {
  node -e '
    const ctl = AbortSignal.timeout(5000);
    fetch(process.argv[1], { signal: ctl, redirect: "manual" })
      .then(r => console.log(r.status), () => console.log("000"));
  ' "$1"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  (exec 3<>"/dev/tcp/::1/$1") 2>/dev/null && return 0
  return 1
}

# The process groups this script started (the app build, the backend, the app), each led by a
# background job of its own (set -m), so that one kill ends yarn and every node under it.
GROUPS_STARTED=()
STOPPED=0

# start_group VAR LOG COMMAND...: runs COMMAND in a process group of its own, output to LOG;
# its pid (and group id) goes to VAR.
start_group() {
  local var="$1" out="$2"
  shift 2
  set -m
  "$@" >>"$out" 2>&1 </dev/null &
  set +m
  printf -v "$var" '%s' "$!"
  GROUPS_STARTED+=("$!")
}

stop_group() {
  local pid="$1" i
  if kill -0 -- "-$pid" 2>/dev/null; then
    log "stopping process group $pid"
    kill -TERM -- "-$pid" 2>/dev/null
    for i in $(seq 1 30); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 -- "-$pid" 2>/dev/null; then
      log "process group $pid still running after 15 s: SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null
    fi
  fi
  wait "$pid" 2>/dev/null
}

stop_servers() {
  [ "$STOPPED" = 0 ] || return 0
  STOPPED=1
  local pid
  for pid in "${GROUPS_STARTED[@]}"; do
    stop_group "$pid"
  done
  scripts/demo.sh stop >>"$SERVER_LOG" 2>&1
  for port in 3000 7007; do
    if port_in_use "$port"; then
      log "warning: port $port is still in use after stopping the servers"
    fi
  done
  return 0
}
trap stop_servers EXIT
trap 'stop_servers; exit 130' INT
trap 'stop_servers; exit 143' TERM

for port in 3000 7007; do
  if port_in_use "$port"; then
    log "port $port is already in use: stop what runs there (\`make start\`?) and try again"
    exit 1
  fi
done

BUILD_PID="" SERVER_PID="" APP_PID=""
if [ "$E2E_APP" = build ]; then
  log "building the app: yarn workspace app build > ${BUILD_LOG#"$ROOT/"}"
  : >"$BUILD_LOG"
  start_group BUILD_PID "$BUILD_LOG" yarn workspace app build
fi

log "starting the demo systems: scripts/demo.sh start"
if ! scripts/demo.sh start >"$SERVER_LOG" 2>&1; then
  log "a demo system failed to start; last lines of ${SERVER_LOG#"$ROOT/"}:"
  tail -n 40 "$SERVER_LOG" | sed 's/^/    /'
  scripts/demo.sh stop >/dev/null 2>&1
  exit 1
fi
# Slack notifications go to the demo's fake Slack (scripts/demo/slack.sh), not
# slack.com. Only here: its NODE_OPTIONS preload is for the backend, not for
# the app build or the demo systems' servers (their loader refuses it).
. "$ROOT/scripts/demo/lib/slack-routing.bash" && opsdeck_route_slack_to_fake
if [ "$E2E_APP" = build ]; then
  log "starting the backend: yarn start backend >> ${SERVER_LOG#"$ROOT/"}"
  start_group SERVER_PID "$SERVER_LOG" yarn start backend
  build_start=$SECONDS
  if ! wait "$BUILD_PID"; then
    log "the app build failed; last lines of ${BUILD_LOG#"$ROOT/"}:"
    tail -n 40 "$BUILD_LOG" | sed 's/^/    /'
    exit 1
  fi
  log "app built (waited $((SECONDS - build_start)) s for it); serving packages/app/dist on :3000"
  start_group APP_PID "$SERVER_LOG" node scripts/lib/serve-app.cjs packages/app/dist 3000
else
  log "starting app and backend: yarn start >> ${SERVER_LOG#"$ROOT/"}"
  start_group SERVER_PID "$SERVER_LOG" env BROWSER=none yarn start
fi

deadline=$((SECONDS + TIMEOUT))
app_ok=0
backend_ok=0
while [ $SECONDS -lt $deadline ]; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null || { [ -n "$APP_PID" ] && ! kill -0 "$APP_PID" 2>/dev/null; }; then
    log "a server exited before the servers answered; last lines of ${SERVER_LOG#"$ROOT/"}:"
    tail -n 40 "$SERVER_LOG" | sed 's/^/    /'
    exit 1
  fi
  if [ $backend_ok = 0 ]; then
    for url in "${BACKEND_URLS[@]}"; do
      if [ "$(http_status "$url")" = 200 ]; then
        backend_ok=1
        log "backend answers: $url ($((TIMEOUT - deadline + SECONDS)) s)"
        break
      fi
    done
  fi
  if [ $app_ok = 0 ] && [ "$(http_status "$APP_URL")" = 200 ]; then
    app_ok=1
    log "app answers: $APP_URL ($((TIMEOUT - deadline + SECONDS)) s)"
  fi
  [ $app_ok = 1 ] && [ $backend_ok = 1 ] && break
  sleep 2
done
if [ $app_ok = 0 ] || [ $backend_ok = 0 ]; then
  log "timed out after ${TIMEOUT} s (app answers: $app_ok, backend answers: $backend_ok); last lines of ${SERVER_LOG#"$ROOT/"}:"
  tail -n 40 "$SERVER_LOG" | sed 's/^/    /'
  exit 1
fi

# The guest's group ownership comes from the catalog at sign-in, and the tests expect the
# example services and their example records: wait until the catalog has ingested them.
catalog_ready() {
  local token
  token="$(curl -s -X POST -H 'X-Requested-With: XMLHttpRequest' \
    http://localhost:7007/api/auth/guest/refresh |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{process.stdout.write(JSON.parse(s).backstageIdentity.token)}catch{}})')"
  [ -n "$token" ] || return 1
  for ref in user/default/guest component/default/payments-api component/default/search-api; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
      "http://localhost:7007/api/catalog/entities/by-name/$ref")" = 200 ] || return 1
  done
}
while ! catalog_ready; do
  if [ $SECONDS -ge $deadline ]; then
    log "timed out waiting for the catalog to ingest the example entities"
    exit 1
  fi
  sleep 2
done
log "catalog has the example entities ($((TIMEOUT - deadline + SECONDS)) s)"

# The runbooks built and indexed, as make start does: no docs page meets a missing search index.
if ! scripts/techdocs-warmup.sh http://localhost:7007; then
  log "the runbooks could not be built or indexed (see the [techdocs] lines above)"
  exit 1
fi

log "running Playwright (log: ${PLAYWRIGHT_LOG#"$ROOT/"})"
yarn playwright test "$@" 2>&1 | tee "$PLAYWRIGHT_LOG"
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ]; then
  log "Playwright exited $rc; failure screenshots and traces in node_modules/.cache/e2e-test-results"
fi
stop_servers
exit "$rc"
