#!/usr/bin/env bash
# The demo systems behind the example services (Prometheus and a traffic generator, a
# PostgreSQL primary + replica, ...): one script per system in scripts/demo/, each taking
# `start` or `stop`, keeping its state under .run/demo/<name>/ and idempotent both ways.
#
#   scripts/demo.sh start   # start every demo system (make start and the e2e tests do this)
#   scripts/demo.sh stop    # stop them all, in reverse order
#
# A demo script that fails to start stops the whole start: the portal would show errors
# instead of live data, which is worse than a clear message.

set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
action="${1:-}"
case "$action" in
  start) scripts=("$ROOT"/scripts/demo/*.sh) ;;
  stop)
    scripts=()
    for s in "$ROOT"/scripts/demo/*.sh; do scripts=("$s" "${scripts[@]}"); done
    ;;
  *)
    echo "usage: scripts/demo.sh start|stop" >&2
    exit 2
    ;;
esac
mkdir -p "$ROOT/.run/demo"
rc=0
for script in "${scripts[@]}"; do
  [ -e "$script" ] || continue
  name="$(basename "$script" .sh)"
  if ! bash "$script" "$action"; then
    echo "[demo] $name: $action failed" >&2
    rc=1
    [ "$action" = start ] && break
  fi
done
exit "$rc"
