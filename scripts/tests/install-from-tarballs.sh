#!/usr/bin/env bash
# Installs OpsDeck as a platform team would, outside this repository (issue 21): builds and
# packs each package, creates a new app with @backstage/create-app of our Backstage release,
# installs the tarballs and applies the README's wiring steps (read from README.md itself, so
# the README is what is tested), adds an annotated component, type-checks and builds the app,
# starts its backend (SQLite, a free port) and checks that OpsDeck answers over HTTP for the
# component and that Chromium shows its Operations tab.
#
#   scripts/tests/install-from-tarballs.sh
#   OPSDECK_TARBALLS_KEEP=1 ...   # keep the work directory (printed) for a look afterwards
#
# Each check counts as one test; the last line is `N passed, N failed` (scripts/test.sh's
# `tarballs` step reads it). A failed check stops the run: the later ones count as failed.
# Needs the npm registry (create-app and the app's dependencies; yarn's global cache is
# shared, so a second run fetches almost nothing).

set -uo pipefail
case ":$PATH:" in *":/usr/sbin:"*) ;; *) export PATH="$PATH:/usr/sbin:/sbin" ;; esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/tests"
# The create-app release that scaffolds our Backstage release (backstage.json); checked below
# against the backstage.json it writes, so a Backstage upgrade that forgets it fails here.
CREATE_APP_VERSION=0.9.2
ENTITY_REF=component:default/opsdeck-install-test

OPSDECK_BOOTSTRAP_LIB=1 . "$ROOT/scripts/bootstrap.sh"
# node 22 and yarn on PATH, node-gyp pointed at this node's headers (better-sqlite3 builds)
opsdeck_bootstrap --no-install || exit 1

# Yarn does not read npm's configuration: a machine whose npm trusts an extra certificate
# authority through `cafile` (a registry behind a TLS-inspecting proxy) gets it for yarn and
# node too, or the new app's `yarn add` fails with "self-signed certificate in certificate chain".
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ]; then
  # npm's own answer depends on which node runs it (its global config sits beside node), so
  # the usual npmrc files are read as well.
  npm_cafile="$(npm config get cafile 2>/dev/null)"
  for rc in "$HOME/.npmrc" /etc/npmrc /usr/etc/npmrc /usr/local/etc/npmrc; do
    case "$npm_cafile" in "" | null | undefined) ;; *) break ;; esac
    npm_cafile="$(sed -n 's/^cafile *= *//p' "$rc" 2>/dev/null | tail -n 1)"
  done
  npm_cafile="${npm_cafile%\"}" npm_cafile="${npm_cafile#\"}"
  if [ -n "$npm_cafile" ] && [ -r "$npm_cafile" ]; then
    export NODE_EXTRA_CA_CERTS="$npm_cafile"
  fi
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-tarballs.XXXXXX")"
PACKS="$WORK/tarballs"
APP="$WORK/app"
LOGS="$WORK/logs"
mkdir -p "$PACKS" "$LOGS"
BACKEND_PID=""

PASSED=0
FAILED=0
STOPPED=""

cleanup() {
  if [ -n "$BACKEND_PID" ]; then
    # the backend runs in its own process group (setsid): end it and its children
    kill -- -"$BACKEND_PID" 2>/dev/null
    wait "$BACKEND_PID" 2>/dev/null
  fi
  if [ "${OPSDECK_TARBALLS_KEEP:-0}" = 1 ]; then
    echo "kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# check NAME COMMAND...: one test; its output goes to $LOGS/NAME.log, printed when it fails.
check() {
  local name="$1" start=$SECONDS
  shift
  if [ -n "$STOPPED" ]; then
    echo "not run: $name (after $STOPPED failed)"
    FAILED=$((FAILED + 1))
    return 1
  fi
  echo "==> $name"
  if "$@" >"$LOGS/$name.log" 2>&1; then
    echo "ok: $name ($((SECONDS - start)) s)"
    PASSED=$((PASSED + 1))
  else
    tail -n 60 "$LOGS/$name.log"
    echo "FAILED: $name ($((SECONDS - start)) s; log: $LOGS/$name.log)"
    FAILED=$((FAILED + 1))
    STOPPED="$name"
    return 1
  fi
}

# The README's steps, as in its "Installing from tarballs" section: declarations first (the
# packages' builds read them), then each package built and packed with yarn, which runs
# backstage-cli's prepack (publishConfig, dist exports) and turns workspace:^ into versions.
pack_packages() {
  (cd "$ROOT" && yarn tsc) || return 1
  local dir
  for dir in "$ROOT"/plugins/*/; do
    [ -f "$dir/package.json" ] || continue
    (cd "$dir" && yarn build && yarn pack --out "$PACKS/%s.tgz") || return 1
  done
  ls -l "$PACKS"
}

create_app() {
  # --path and BACKSTAGE_APP_NAME: create-app asks nothing; --skip-install: the
  # README's `yarn add` steps install.
  (cd "$WORK" && BACKSTAGE_APP_NAME=opsdeck-install-test \
    npx -y "@backstage/create-app@$CREATE_APP_VERSION" --skip-install --path app </dev/null) ||
    return 1
  # create-app seeds yarn.lock from GitHub's master branch (unreachable here, and newer than
  # our release when reachable); without a seed, ranges such as signals-backend ^0.3.19 pick a
  # release ahead of backend-defaults ^0.18.0 and the new backend fails to start. Our own
  # lockfile, a Backstage app of the same release, is the seed: the app gets the versions
  # this repository is tested with, and yarn drops the entries it does not use.
  cp "$ROOT/yarn.lock" "$APP/yarn.lock" || return 1
  local ours theirs
  ours="$(node -p 'require(process.argv[1]).version' "$ROOT/backstage.json")"
  theirs="$(node -p 'require(process.argv[1]).version' "$APP/backstage.json")"
  if [ "$ours" != "$theirs" ]; then
    echo "create-app $CREATE_APP_VERSION makes a Backstage $theirs app; ours is $ours:" \
      "set CREATE_APP_VERSION to the create-app of release $ours"
    return 1
  fi
}

# better-sqlite3 has no prebuilt binary reachable here (GitHub releases), so every new app
# compiles SQLite from source: minutes on two cores. prebuild-install, its install script,
# first looks in npm's prebuild cache; when our node_modules holds the same version, built
# for this node, its binary goes there, so the app installs it instead of compiling.
seed_sqlite_prebuild() {
  local ours="$ROOT/node_modules/better-sqlite3"
  [ -f "$ours/build/Release/better_sqlite3.node" ] || return 0
  node - "$ours" <<'EOF'
const [dir] = process.argv.slice(2);
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { version } = require(`${dir}/package.json`);
const file = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
const url = `https://github.com/WiseLibs/better-sqlite3/releases/download/v${version}/${file}`;
const cache = path.join(process.env.npm_config_cache || path.join(os.homedir(), '.npm'), '_prebuilds');
const target = path.join(cache, `${createHash('sha512').update(url).digest('hex').slice(0, 6)}-${file.replace(/[^a-zA-Z0-9.]+/g, '-')}`);
if (!fs.existsSync(target)) {
  fs.mkdirSync(cache, { recursive: true });
  execFileSync('tar', ['-czf', target, '-C', dir, 'build/Release/better_sqlite3.node']);
}
console.log(`better-sqlite3 ${version}: ${target}`);
EOF
}

readme_wiring() {
  seed_sqlite_prebuild || return 1
  node "$HERE/install-from-tarballs-readme.mjs" "$ROOT/README.md" "$APP" "$PACKS" || return 1
  (cd "$APP" && bash -euxo pipefail "$WORK/readme-install.sh") || return 1
  # An annotated component in the app's catalog: the README's annotations
  cat "$HERE/install-from-tarballs-entity.yaml" >>"$APP/examples/entities.yaml"
}

app_tsc() { (cd "$APP" && yarn tsc); }

# The production bundle of the frontend, which the backend's app plugin serves.
app_build() { (cd "$APP" && yarn workspace app build); }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

backend_start() {
  PORT="$(free_port)" || return 1
  BASE="http://localhost:$PORT"
  # The frontend is served by the backend (plugin-app-backend), so both live on one free port.
  cat >"$APP/app-config.local.yaml" <<EOF
app:
  baseUrl: $BASE
backend:
  baseUrl: $BASE
  listen: { port: $PORT }
  cors: { origin: $BASE }
EOF
  # exec: the background job itself becomes setsid and then yarn, so $! leads the new
  # process group that cleanup ends (a subshell around it would be left to wait on).
  (cd "$APP/packages/backend" &&
    exec setsid yarn start --config ../../app-config.yaml --config ../../app-config.local.yaml \
      >"$LOGS/backend.log" 2>&1) &
  BACKEND_PID=$!
  local i
  for i in $(seq 1 180); do
    if curl -fsS "$BASE/.backstage/health/v1/readiness" >/dev/null 2>&1; then
      echo "backend ready on $BASE after $i s"
      return 0
    fi
    if ! kill -0 "$BACKEND_PID" 2>/dev/null; then
      cat "$LOGS/backend.log"
      return 1
    fi
    sleep 1
  done
  tail -n 80 "$LOGS/backend.log"
  return 1
}

backend_routes() {
  node "$HERE/install-from-tarballs-routes.mjs" "$BASE" "$ENTITY_REF"
}

operations_tab() {
  (cd "$ROOT" && OPSDECK_INSTALL_BASE_URL="$BASE" OPSDECK_INSTALL_ENTITY_REF="$ENTITY_REF" \
    yarn playwright test --config "$HERE/install-from-tarballs.playwright.config.ts")
}

T0=$SECONDS
check pack pack_packages
check create-app create_app
check readme-wiring readme_wiring
check app-tsc app_tsc
check app-build app_build
check backend-start backend_start
check backend-routes backend_routes
check operations-tab operations_tab
echo "install from tarballs took $((SECONDS - T0)) s (work directory $WORK)"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
