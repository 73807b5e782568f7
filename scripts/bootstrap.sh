#!/usr/bin/env bash
# Set up Node 22, yarn and the project's dependencies, doing only what is missing.
#
#   . scripts/bootstrap.sh              # in bash: set up, and keep PATH etc. in this shell
#   scripts/bootstrap.sh                # set up (node, yarn, yarn install when needed)
#   scripts/bootstrap.sh --no-install   # node and yarn only
#   scripts/bootstrap.sh -- yarn start  # set up, then run a command with that environment
#
# Node: Backstage 1.55 needs Node 22 (Node 24 crashes better-sqlite3). When the `node` on PATH
# is not 22.x, Node 22 is installed from the npm registry (package node-linux-<arch>) into
# .toolchain/ (git-ignored) and .toolchain/bin goes first on PATH. Yarn is the release
# vendored in .yarn/releases, run through the shim .toolchain/bin/yarn.
#
# Dependencies: `yarn install` runs only when the stamp node_modules/.opsdeck-install-stamp
# (sha256 over yarn.lock, .yarnrc.yml, every workspace package.json and the node version) is
# missing or differs. With CI=true it runs `yarn install --immutable`.
#
# Environment: OPSDECK_NODE_VERSION (default below) picks the Node 22 release to install.

_opsdeck_sourced=0
if [ -n "${BASH_VERSION:-}" ] && [ "${BASH_SOURCE[0]}" != "$0" ]; then
  _opsdeck_sourced=1
fi

OPSDECK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
OPSDECK_TOOLCHAIN="$OPSDECK_ROOT/.toolchain"
: "${OPSDECK_NODE_VERSION:=22.23.3}"
export OPSDECK_ROOT

_opsdeck_log() { echo "[bootstrap] $*"; }
_opsdeck_err() { echo "[bootstrap] error: $*" >&2; }

# Prints the major version of the node at $1 (or on PATH), or nothing.
_opsdeck_node_major() {
  local bin="${1:-node}" v
  v="$("$bin" -v 2>/dev/null)" || return 0
  v="${v#v}"
  echo "${v%%.*}"
}

_opsdeck_node_pkg() {
  local arch
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    armv7l) arch=armv7l ;;
    ppc64le) arch=ppc64le ;;
    s390x) arch=s390x ;;
    *)
      _opsdeck_err "no Node package for machine $(uname -m)"
      return 1
      ;;
  esac
  echo "node-linux-$arch"
}

# Node 22 first on PATH, npm_config_nodedir pointing at matching headers.
opsdeck_setup_node() {
  local tc="$OPSDECK_TOOLCHAIN" pkg
  mkdir -p "$tc/bin"
  case ":$PATH:" in
    *":$tc/bin:"*) ;;
    *) export PATH="$tc/bin:$PATH" ;;
  esac

  if [ "$(_opsdeck_node_major "$tc/bin/node")" = 22 ]; then
    : # toolchain node already installed
  elif [ ! -e "$tc/bin/node" ] && [ "$(_opsdeck_node_major node)" = 22 ]; then
    : # the machine's node is 22
  else
    pkg="$(_opsdeck_node_pkg)" || return 1
    if ! command -v npm >/dev/null 2>&1; then
      _opsdeck_err "node $(node -v 2>/dev/null || echo missing) is not 22 and npm is missing: install Node 22 or npm"
      return 1
    fi
    _opsdeck_log "installing Node $OPSDECK_NODE_VERSION ($pkg) from the npm registry into .toolchain/"
    rm -f "$tc/bin/node"
    # ONE npm command: a second `npm install --prefix` would prune what the first installed.
    if ! npm install --prefix "$tc" --no-audit --no-fund --loglevel=error \
      "$pkg@$OPSDECK_NODE_VERSION"; then
      _opsdeck_err "npm install of $pkg@$OPSDECK_NODE_VERSION failed"
      return 1
    fi
    ln -sfn "../node_modules/$pkg/bin/node" "$tc/bin/node"
    if [ "$(_opsdeck_node_major "$tc/bin/node")" != 22 ]; then
      _opsdeck_err "$tc/bin/node does not run as Node 22"
      return 1
    fi
  fi
  hash -r 2>/dev/null || true

  # Native addons (better-sqlite3) are built by node-gyp; point it at headers of this node
  # so it does not try to download them.
  if [ -e "$tc/bin/node" ]; then
    pkg="$(_opsdeck_node_pkg)" || return 1
    export npm_config_nodedir="$tc/node_modules/$pkg"
  else
    local prefix
    prefix="$(cd "$(dirname "$(readlink -f "$(command -v node)")")/.." && pwd)"
    if [ -f "$prefix/include/node/node.h" ]; then
      export npm_config_nodedir="$prefix"
    fi
  fi
}

# .toolchain/bin/yarn runs the release vendored in .yarn/releases (yarnPath in .yarnrc.yml).
opsdeck_setup_yarn() {
  local shim="$OPSDECK_TOOLCHAIN/bin/yarn" release
  release="$(sed -n 's/^yarnPath:[[:space:]]*//p' "$OPSDECK_ROOT/.yarnrc.yml" | tr -d "\"'" | head -n1)"
  if [ -z "$release" ] || [ ! -f "$OPSDECK_ROOT/$release" ]; then
    _opsdeck_err "no vendored yarn release (yarnPath in .yarnrc.yml)"
    return 1
  fi
  local want
  want="#!/bin/sh
# written by scripts/bootstrap.sh: the yarn release vendored in the repository
exec node \"\$(dirname \"\$0\")/../../$release\" \"\$@\""
  if [ ! -x "$shim" ] || [ "$(cat "$shim" 2>/dev/null)" != "$want" ]; then
    rm -f "$shim"
    printf '%s\n' "$want" >"$shim"
    chmod +x "$shim"
  fi
  hash -r 2>/dev/null || true
}

# sha256 over what decides the content of node_modules.
opsdeck_install_stamp() {
  (
    cd "$OPSDECK_ROOT" || exit 1
    node -e '
      const fs = require("fs"), path = require("path"), crypto = require("crypto");
      const root = JSON.parse(fs.readFileSync("package.json", "utf8"));
      const globs = Array.isArray(root.workspaces) ? root.workspaces : (root.workspaces?.packages ?? []);
      const files = ["package.json", "yarn.lock", ".yarnrc.yml"];
      for (const g of globs) {
        // workspaces here are "dir/*" or "dir"
        const m = /^(.*)\/\*$/.exec(g);
        const dirs = m
          ? (fs.existsSync(m[1]) ? fs.readdirSync(m[1]).sort().map(d => path.join(m[1], d)) : [])
          : [g];
        for (const d of dirs) {
          const f = path.join(d, "package.json");
          if (fs.existsSync(f)) files.push(f);
        }
      }
      const h = crypto.createHash("sha256");
      h.update("node " + process.version + " " + process.arch + "\n");
      for (const f of files) {
        h.update(f + "\n");
        h.update(fs.existsSync(f) ? fs.readFileSync(f) : "<missing>");
        h.update("\n");
      }
      console.log(h.digest("hex"));
    '
  )
}

opsdeck_yarn_install() {
  local stampfile="$OPSDECK_ROOT/node_modules/.opsdeck-install-stamp" want have=""
  want="$(opsdeck_install_stamp)" || return 1
  [ -f "$stampfile" ] && have="$(cat "$stampfile")"
  if [ "$want" = "$have" ] && [ -f "$OPSDECK_ROOT/node_modules/.yarn-state.yml" ]; then
    _opsdeck_log "dependencies up to date (node_modules/.opsdeck-install-stamp matches)"
    return 0
  fi
  local args=()
  if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
    args+=(--immutable)
  fi
  _opsdeck_log "yarn install ${args[*]}"
  local start=$SECONDS
  rm -f "$stampfile"
  if ! (cd "$OPSDECK_ROOT" && yarn install "${args[@]}"); then
    _opsdeck_err "yarn install failed"
    return 1
  fi
  # yarn install may have rewritten yarn.lock (outside CI): stamp what is there now.
  opsdeck_install_stamp >"$stampfile" || return 1
  _opsdeck_log "yarn install took $((SECONDS - start)) s"
}

opsdeck_bootstrap() {
  local install=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --no-install) install=0 ;;
      --) break ;;
      *) ;;
    esac
    shift
  done
  opsdeck_setup_node || return 1
  opsdeck_setup_yarn || return 1
  _opsdeck_log "node $(node -v) ($(command -v node)), yarn $(cd "$OPSDECK_ROOT" && yarn --version)"
  if [ "$install" = 1 ]; then
    opsdeck_yarn_install || return 1
  fi
}

if [ "$_opsdeck_sourced" = 1 ]; then
  # OPSDECK_BOOTSTRAP_LIB=1 only defines the functions (for scripts that call them).
  if [ "${OPSDECK_BOOTSTRAP_LIB:-}" != 1 ]; then
    opsdeck_bootstrap "$@"
  fi
else
  set -uo pipefail
  opsdeck_bootstrap "$@" || exit 1
  while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
  if [ $# -gt 0 ]; then
    shift
    [ $# -gt 0 ] && exec "$@"
  fi
fi
