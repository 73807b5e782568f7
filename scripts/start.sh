#!/usr/bin/env bash
# make start: set up (scripts/bootstrap.sh), start the demo systems (scripts/demo.sh), then the
# app on :3000 and the backend on :7007; the demo systems stop when this stops.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
OPSDECK_BOOTSTRAP_LIB=1 . "$ROOT/scripts/bootstrap.sh"
opsdeck_bootstrap || exit 1
scripts/demo.sh start || {
  scripts/demo.sh stop
  exit 1
}
trap 'scripts/demo.sh stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
yarn start
