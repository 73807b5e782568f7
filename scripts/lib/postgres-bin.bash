# Finds the PostgreSQL server binaries by version, not by a pinned package: Debian 12 ships
# PostgreSQL 15 (/usr/lib/postgresql/15/bin), Debian 13 ships 17, and a machine may have several.
# Source it; it defines opsdeck_pg_bin only.
#
#   opsdeck_pg_bin   # prints the bin directory, or fails (nothing printed) when none is usable
#
# OPSDECK_PG_BIN, when set, wins (it must hold initdb). Otherwise the newest
# $OPSDECK_PG_LIB_DIR/<major>/bin (default /usr/lib/postgresql) with initdb, major 15 or newer:
# the tests and the demo need 15's features (pg_read_all_data, wal_keep_size).

OPSDECK_PG_MIN_MAJOR=15

opsdeck_pg_bin() {
  if [ -n "${OPSDECK_PG_BIN:-}" ]; then
    [ -x "$OPSDECK_PG_BIN/initdb" ] || return 1
    echo "$OPSDECK_PG_BIN"
    return 0
  fi
  local lib="${OPSDECK_PG_LIB_DIR:-/usr/lib/postgresql}" dir major best="" best_major=0
  for dir in "$lib"/*/bin; do
    [ -x "$dir/initdb" ] || continue
    major="$(basename "$(dirname "$dir")")"
    # Only numeric majors (Debian's layout); 9.6-style names are older than 15 anyway.
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if [ "$major" -ge "$OPSDECK_PG_MIN_MAJOR" ] && [ "$major" -gt "$best_major" ]; then
      best="$dir"
      best_major="$major"
    fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}
