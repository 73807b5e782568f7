#!/usr/bin/env bash
# Tests of make start's set-up on a "bare machine" (issue 21, acceptance 1): scripts/start.sh
# --setup-only with Prometheus, Alertmanager, PostgreSQL and mkdocs hidden must name and install
# every missing Debian package in one apt-get and go on, not stop at the first missing binary.
#
#   bash scripts/tests/start-setup.test.sh     # last line: `N passed, N failed` (scripts/test.sh)
#
# Nothing is installed for real: PATH is a copy of the machine's /usr/bin, /bin, /usr/sbin and
# /sbin without the demo's programs, plus shims: `dpkg-query` (nothing installed, or everything
# with FAKE_DPKG_INSTALLED=1), `apt-get` (records its arguments) and `id` (`id -u` answers
# FAKE_UID, to try root and non-root). PostgreSQL is looked up in an empty OPSDECK_PG_LIB_DIR.

set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-start-test.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

PASSED=0
FAILED=0
ok() {
  PASSED=$((PASSED + 1))
  echo "ok - $1"
}
not_ok() {
  FAILED=$((FAILED + 1))
  echo "not ok - $1"
  shift
  local line
  for line in "$@"; do echo "    $line"; done
}

# The demo's programs, which a bare machine lacks.
HIDDEN='^(prometheus|promtool|prometheus-alertmanager|alertmanager|amtool|mkdocs|psql|pg_.*|initdb|postgres|curl)$'
BIN="$TMP/bin"
SHIMS="$TMP/shims"
mkdir -p "$BIN" "$SHIMS" "$TMP/no-postgresql"
for dir in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
  for f in "$dir"/*; do
    name="${f##*/}"
    [[ "$name" =~ $HIDDEN ]] && continue
    [ -e "$BIN/$name" ] || ln -s "$f" "$BIN/$name"
  done
done
REAL_ID="$(command -v id)"
cat >"$SHIMS/dpkg-query" <<'SH'
#!/bin/sh
# -W -f='${Status}' PKG: installed only when the test says so
[ "${FAKE_DPKG_INSTALLED:-0}" = 1 ] && printf 'install ok installed' && exit 0
echo "dpkg-query: no packages found matching $*" >&2
exit 1
SH
cat >"$SHIMS/apt-get" <<'SH'
#!/bin/sh
echo "apt-get $*" >>"$APT_LOG"
exit 0
SH
cat >"$SHIMS/id" <<SH
#!/bin/sh
[ "\$1" = -u ] && [ \$# = 1 ] && echo "\$FAKE_UID" && exit 0
exec "$REAL_ID" "\$@"
SH
chmod +x "$SHIMS"/*
# Node 22 from the repository's toolchain when the machine's is another (scripts/bootstrap.sh).
TEST_PATH="$SHIMS:$BIN"
[ -d "$ROOT/.toolchain/bin" ] && TEST_PATH="$SHIMS:$ROOT/.toolchain/bin:$BIN"

# run_setup UID INSTALLED PG_LIB_DIR: runs start.sh --setup-only; sets OUT, RC, APT.
run_setup() {
  export APT_LOG="$TMP/apt.log"
  rm -f "$APT_LOG"
  OUT="$(env -u OPSDECK_PG_BIN PATH="$TEST_PATH" FAKE_UID="$1" FAKE_DPKG_INSTALLED="$2" \
    OPSDECK_PG_LIB_DIR="$3" APT_LOG="$APT_LOG" bash "$ROOT/scripts/start.sh" --setup-only 2>&1)"
  RC=$?
  APT="$(cat "$APT_LOG" 2>/dev/null)"
}

DEMO_PACKAGES="postgresql prometheus prometheus-alertmanager mkdocs mkdocs-material curl pgbackrest patroni python3-etcd etcd-server pgbouncer mariadb-server mariadb-client mariadb-backup"

# 1. The hidden programs really are hidden.
if PATH="$TEST_PATH" bash -c 'command -v prometheus || command -v mkdocs || command -v psql || command -v prometheus-alertmanager' >/dev/null; then
  not_ok "the demo's programs are hidden from PATH"
else
  ok "the demo's programs are hidden from PATH"
fi

# 2. As root on a bare machine: one apt-get install of every missing package, then on.
run_setup 0 0 "$TMP/no-postgresql"
installs="$(grep -c '^apt-get install' <<<"$APT")"
if [ "$RC" = 0 ] && [ "$installs" = 1 ] &&
  grep -qx "apt-get install -y -qq --no-install-recommends $DEMO_PACKAGES" <<<"$APT" &&
  grep -q '^apt-get update' <<<"$APT" && grep -q 'set-up done' <<<"$OUT"; then
  ok "as root, a bare machine gets every demo package in one apt-get install and the set-up goes on"
else
  not_ok "as root, a bare machine gets every demo package in one apt-get install and the set-up goes on" \
    "exit $RC, apt-get calls:" "$APT" "output:" "$OUT"
fi

# 3. Not root: the exact apt-get line, a clear failure, nothing run.
run_setup 1000 0 "$TMP/no-postgresql"
if [ "$RC" != 0 ] && [ -z "$APT" ] &&
  grep -qF "apt-get update && apt-get install -y --no-install-recommends $DEMO_PACKAGES" <<<"$OUT" &&
  grep -q 'the demo needs the Debian packages above' <<<"$OUT"; then
  ok "not root, it prints the apt-get line naming every missing package and stops before starting anything"
else
  not_ok "not root, it prints the apt-get line naming every missing package and stops before starting anything" \
    "exit $RC, apt-get calls: $APT" "output:" "$OUT"
fi

# 4. Everything there: no apt-get at all.
mkdir -p "$TMP/pg/17/bin"
printf '#!/bin/sh\n' >"$TMP/pg/17/bin/initdb"
chmod +x "$TMP/pg/17/bin/initdb"
run_setup 0 1 "$TMP/pg"
if [ "$RC" = 0 ] && [ -z "$APT" ]; then
  ok "with every package installed, nothing is installed"
else
  not_ok "with every package installed, nothing is installed" "exit $RC, apt-get calls: $APT" "$OUT"
fi

# 5. PostgreSQL by version: the newest of 15 or newer, never an older one.
. "$ROOT/scripts/lib/postgres-bin.bash"
mkdir -p "$TMP/pgs/14/bin" "$TMP/pgs/15/bin" "$TMP/pgs/17/bin" "$TMP/pgs/18/bin" "$TMP/old/13/bin"
for v in 14 15 17; do printf '#!/bin/sh\n' >"$TMP/pgs/$v/bin/initdb"; done
printf '#!/bin/sh\n' >"$TMP/old/13/bin/initdb"
chmod +x "$TMP"/pgs/*/bin/initdb "$TMP/old/13/bin/initdb"
found="$(env -u OPSDECK_PG_BIN OPSDECK_PG_LIB_DIR="$TMP/pgs" bash -c ". '$ROOT/scripts/lib/postgres-bin.bash'; opsdeck_pg_bin")"
old="$(env -u OPSDECK_PG_BIN OPSDECK_PG_LIB_DIR="$TMP/old" bash -c ". '$ROOT/scripts/lib/postgres-bin.bash'; opsdeck_pg_bin" || echo none)"
if [ "$found" = "$TMP/pgs/17/bin" ] && [ "$old" = none ]; then
  ok "PostgreSQL is the newest installed server of 15 or newer (18/ without initdb and 14 are skipped)"
else
  not_ok "PostgreSQL is the newest installed server of 15 or newer" "found '$found' (want 17), with 13 only: '$old'"
fi

# 6. A PostgreSQL server that is there counts for the postgresql metapackage (Debian 12 with
# postgresql-15 alone must not get the metapackage installed).
run_setup 0 0 "$TMP/pgs"
if [ "$RC" = 0 ] && ! grep -q 'install.* postgresql' <<<"$APT" && grep -q 'install.* prometheus' <<<"$APT"; then
  ok "an installed server of 15 or newer stands for the postgresql package"
else
  not_ok "an installed server of 15 or newer stands for the postgresql package" "apt-get calls: $APT" "$OUT"
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
