#!/usr/bin/env bash
# The demo database of the example services: a PostgreSQL (15 or newer) primary on 127.0.0.1:5455 and a
# streaming replica on 127.0.0.1:5456 (pg_basebackup -R), with the `payments` database of
# payments-api seeded, and a pg_dump -Fc backup in the backup directory that the backup drill
# (templates/ops-backup-drill, target payments-db in app-config.yaml) restores.
#
#   scripts/demo/postgres.sh start   # create (first time, a few seconds) or start, then back up
#   scripts/demo/postgres.sh stop    # stop both servers; the data stays for a fast next start
#   scripts/demo/postgres.sh reset   # stop and delete everything under $OPSDECK_DEMO_DIR/postgres
#
# Under $OPSDECK_DEMO_DIR/postgres/ (.run/demo/postgres for make start, see scripts/demo.sh):
#   primary/ replica/   the clusters (their postmaster.pid records the server processes)
#   sock/               the Unix sockets (local connections are trusted; TCP needs a password)
#   backups/            pg_dump -Fc files, one per start (the newest 3 are kept)
#   payments-db.env     the connection file of payments-api: DATABASE_URL pointing at the
#                       primary; a failover rewrites it to point at the new primary
#   *.log               server and script logs
#
# The servers refuse to run as root: as root they run as the `postgres` user (Debian package
# postgresql), in directories that user owns, like scripts/postgres-for-tests.sh.
#
# Environment (the defaults are for this local demo only; app-config.yaml uses the same ones):
#   OPSDECK_PG_BIN               server binaries (default: the newest /usr/lib/postgresql/<major>/bin,
#                                15 or newer; scripts/lib/postgres-bin.bash)
#   PAYMENTS_DB_PASSWORD         password of the application role payments_app
#   PAYMENTS_DB_DRILL_PASSWORD   password of opsdeck_drill, the read-only role the drill
#                                compares the restored copy with (pg_read_all_data)
#   PAYMENTS_DB_FAILOVER_PASSWORD  password of opsdeck_failover, the superuser role of the
#                                failover (it fences the primary and promotes the replica)

set -uo pipefail
case ":$PATH:" in *":/usr/sbin:"*) ;; *) export PATH="$PATH:/usr/sbin:/sbin" ;; esac
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${OPSDECK_DEMO_DIR:-$ROOT/.run/demo}/postgres"
# shellcheck source=../lib/postgres-bin.bash
. "$ROOT/scripts/lib/postgres-bin.bash"
BIN="$(opsdeck_pg_bin)" || BIN=""
PRIMARY_PORT=5455
REPLICA_PORT=5456
APP_PASSWORD="${PAYMENTS_DB_PASSWORD:-payments-demo-only}"
DRILL_PASSWORD="${PAYMENTS_DB_DRILL_PASSWORD:-drill-demo-only}"
FAILOVER_PASSWORD="${PAYMENTS_DB_FAILOVER_PASSWORD:-failover-demo-only}"
BACKUPS_KEPT=3

log() { echo "[demo/postgres] $*" >&2; }
fail() {
  log "$*"
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() { [ -f "$1/postmaster.pid" ] && as_owner "$BIN/pg_ctl" status -D "$1" >/dev/null 2>&1; }

psql_primary() {
  "$BIN/psql" -h "$DIR/sock" -p "$PRIMARY_PORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"
}

start_server() {
  local data="$1" port="$2" name="$3"
  if running "$data"; then
    return 0
  fi
  if port_in_use "$port"; then
    fail "127.0.0.1:$port is taken by another process; the demo $name needs it (stop that process, or scripts/demo/postgres.sh stop)"
  fi
  if ! as_owner "$BIN/pg_ctl" start -D "$data" -w -t 60 -l "$DIR/$name.log" >/dev/null; then
    tail -n 5 "$DIR/$name.log" >&2
    fail "could not start the $name, see ${DIR#"$ROOT/"}/$name.log"
  fi
}

# Stops the cluster's server if it runs, then deletes the cluster.
discard_cluster() {
  if running "$1"; then
    as_owner "$BIN/pg_ctl" stop -D "$1" -m immediate -w >/dev/null
  fi
  rm -rf "$1"
}

create_primary() {
  local data="$DIR/primary"
  # A first start that failed half-way left a server on an unseeded cluster: start afresh.
  discard_cluster "$data"
  log "initdb ${data#"$ROOT/"}"
  as_owner "$BIN/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --no-locale --no-sync >"$DIR/initdb.log" 2>&1 || {
    cat "$DIR/initdb.log" >&2
    fail "initdb failed"
  }
  cat >>"$data/postgresql.conf" <<EOF

# OpsDeck demo primary (scripts/demo/postgres.sh)
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$DIR/sock'
wal_level = replica
max_wal_senders = 10
wal_keep_size = '256MB'
hot_standby = on
# A demo: nothing here must survive a crash of the machine.
fsync = off
EOF
  # Streaming replication over the private socket; applications over loopback with a password.
  echo "local replication all trust" >>"$data/pg_hba.conf"
  start_server "$data" "$PRIMARY_PORT" primary
  log "seeding the payments database"
  psql_primary -d postgres <<EOF >/dev/null
CREATE ROLE payments_app LOGIN PASSWORD '$APP_PASSWORD';
CREATE ROLE opsdeck_drill LOGIN PASSWORD '$DRILL_PASSWORD' IN ROLE pg_read_all_data;
-- The failover (ops:postgres:failover) fences, promotes and writes its canary.
CREATE ROLE opsdeck_failover LOGIN SUPERUSER PASSWORD '$FAILOVER_PASSWORD';
CREATE DATABASE payments OWNER payments_app;
EOF
  psql_primary -d payments -f "$ROOT/demo/postgres/payments-seed.sql" >/dev/null ||
    fail "seeding failed"
}

create_replica() {
  local data="$DIR/replica"
  discard_cluster "$data"
  log "pg_basebackup -R ${data#"$ROOT/"} from the primary"
  as_owner "$BIN/pg_basebackup" -D "$data" -R -X stream --checkpoint=fast \
    -h "$DIR/sock" -p "$PRIMARY_PORT" -U postgres >"$DIR/basebackup.log" 2>&1 || {
    cat "$DIR/basebackup.log" >&2
    fail "pg_basebackup failed"
  }
  cat >>"$data/postgresql.conf" <<EOF

# OpsDeck demo replica (scripts/demo/postgres.sh)
port = $REPLICA_PORT
EOF
}

# A fresh pg_dump -Fc on every start, as the nightly backup job would have made: the drill then
# restores a backup that is within the demo's RPO objective.
take_backup() {
  local stamp file
  mkdir -p "$DIR/backups"
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  file="$DIR/backups/payments-db-$stamp.dump"
  if [ -e "$file" ]; then
    return 0
  fi
  # Written under a hidden name and renamed when complete, as the drill expects.
  if ! "$BIN/pg_dump" -Fc -h "$DIR/sock" -p "$PRIMARY_PORT" -U postgres -d payments \
    -f "$DIR/backups/.payments-db-$stamp.dump.partial" 2>>"$DIR/backup.log"; then
    rm -f "$DIR/backups/.payments-db-$stamp.dump.partial"
    fail "pg_dump failed, see ${DIR#"$ROOT/"}/backup.log"
  fi
  mv "$DIR/backups/.payments-db-$stamp.dump.partial" "$file"
  # shellcheck disable=SC2012 # names are ours: payments-db-<UTC stamp>.dump
  ls -1t "$DIR/backups"/payments-db-*.dump | tail -n +$((BACKUPS_KEPT + 1)) | xargs -r rm -f
  log "backup ${file#"$ROOT/"}"
}

write_connection_file() {
  local file="$DIR/payments-db.env"
  # Written once: after a failover it names the new primary, and a restart must not undo that.
  [ -f "$file" ] && return 0
  cat >"$file" <<EOF
# payments-api's database connection (demo). The failover action rewrites this line.
DATABASE_URL=postgresql://payments_app@127.0.0.1:$PRIMARY_PORT/payments
EOF
}

start() {
  local t0=$SECONDS
  [ -n "$BIN" ] || fail "no PostgreSQL server of $OPSDECK_PG_MIN_MAJOR or newer in ${OPSDECK_PG_LIB_DIR:-/usr/lib/postgresql}/*/bin: install the Debian package postgresql (scripts/system-packages.sh --demo)"
  for bin in initdb pg_ctl pg_basebackup pg_dump psql; do
    [ -x "$BIN/$bin" ] || fail "missing $BIN/$bin: install the Debian package postgresql (scripts/system-packages.sh --demo)"
  done
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    fail "running as root needs the user 'postgres' (from the Debian package postgresql)"
  fi
  mkdir -p "$DIR/sock"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$DIR" "$DIR/sock"
  fi
  chmod 755 "$DIR"
  chmod 700 "$DIR/sock"

  if [ -f "$DIR/primary/PG_VERSION" ] && [ -f "$DIR/.seeded" ]; then
    start_server "$DIR/primary" "$PRIMARY_PORT" primary
  else
    create_primary
    touch "$DIR/.seeded"
    rm -rf "$DIR/replica"
  fi
  if [ ! -f "$DIR/replica/standby.signal" ] && [ ! -f "$DIR/replica/PG_VERSION" ]; then
    create_replica
  fi
  start_server "$DIR/replica" "$REPLICA_PORT" replica
  take_backup
  write_connection_file
  log "primary 127.0.0.1:$PRIMARY_PORT, replica 127.0.0.1:$REPLICA_PORT, database payments ($((SECONDS - t0)) s)"
}

stop() {
  local rc=0 name
  for name in replica primary; do
    if running "$DIR/$name"; then
      as_owner "$BIN/pg_ctl" stop -D "$DIR/$name" -m fast -w -t 60 >/dev/null || rc=1
    fi
  done
  [ $rc = 0 ] && log "stopped" || log "could not stop every server"
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  reset) stop && rm -rf "$DIR" ;;
  *)
    echo "usage: scripts/demo/postgres.sh start|stop|reset" >&2
    exit 2
    ;;
esac
