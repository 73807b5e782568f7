#!/usr/bin/env bash
# The demo database of maintenance-api, `maintenance-db`: a MariaDB server (Debian's mariadb-server)
# with the service's `tasks_db`, backed up the way the service's manual does it, by a nightly
# logical dump, here taken at every start. The backup drill (ops:mysql:backup-drill, template
# ops-backup-drill) restores the newest dump into a scratch server and verifies it. A small writer
# keeps adding and progressing tasks, as the service would, so the drill runs against a live source.
#
#   scripts/demo/maintenance-db.sh start   # create (first time, ~10 s) or start, then a dump
#   scripts/demo/maintenance-db.sh stop    # stop the writer and the server; the data stays
#   scripts/demo/maintenance-db.sh reset   # stop and delete everything under $OPSDECK_DEMO_DIR/maintenance-db
#
# Loopback only, a fixed port (the same in app-config.yaml, ops.databases.maintenance-db): 3407,
# clear of a system MariaDB/MySQL on 3306. Under $OPSDECK_DEMO_DIR/maintenance-db/ (.run/demo/...
# for make start):
#   data/                        the server's data directory (mariadb-install-db)
#   run/mariadbd.sock            its socket (the script's own administration: root by unix_socket)
#   backups/tasks_db-<UTC>.sql.gz  the dumps (`mariadb-dump --single-transaction --routines
#                                --triggers --events`), newest 3 kept, written under a hidden
#                                name and renamed when complete
#   *.pid *.log                  the server and the writer, and their logs
# The server runs as the `mysql` user (Debian's mariadb-server creates it) when started as root.
# Passwords are this local demo's own (app-config.yaml has the same defaults):
#   MAINTENANCE_DB_PASSWORD        maintenance_app, the service's account (the writer)
#   MAINTENANCE_DB_DRILL_PASSWORD  opsdeck_drill, read-only: what the drill needs to compare the
#                                  restored copy with the source and to take a dump itself:
#                                  SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES on tasks_db, and
#                                  SELECT on mysql.proc (MariaDB shows a routine's body to its
#                                  definer or to who may read mysql.proc)

set -uo pipefail
# The server and the writer outlive this script: they must not inherit what its caller left open
# (`flock /tmp/opsdeck-ports.lock scripts/demo/...` would stay locked for as long as they run).
for fd in /proc/$$/fd/*; do
  fd="${fd##*/}"
  if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-"; fi
done
case ":$PATH:" in *":/usr/sbin:"*) ;; *) export PATH="$PATH:/usr/sbin:/sbin" ;; esac
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${OPSDECK_DEMO_DIR:-$ROOT/.run/demo}/maintenance-db"
# shellcheck source=lib/pidfile.bash
. "$ROOT/scripts/demo/lib/pidfile.bash"
PORT=3407
DATABASE=tasks_db
SOCKET="$DIR/run/mariadbd.sock"
SERVER="${OPSDECK_MARIADB_SERVER:-/usr/sbin/mariadbd}"
APP_PASSWORD="${MAINTENANCE_DB_PASSWORD:-maintenance-demo-only}"
DRILL_PASSWORD="${MAINTENANCE_DB_DRILL_PASSWORD:-drill-demo-only}"
BACKUPS_KEPT=3
# Dump headers and TIMESTAMP columns in one zone: the drill compares the dump's time with them.
export TZ=UTC

log() { echo "[demo/maintenance-db] $*" >&2; }
fail() {
  log "$*"
  exit 1
}
rel() { echo "${1#"$ROOT/"}"; }

# As root the server runs as `mysql`; setpriv execs it (runuser would stay its parent), so a
# recorded $! is the server itself. Without root, the server runs as the caller.
AS_OWNER=()
OWNER="$(id -un)"
if [ "$(id -u)" = 0 ]; then
  AS_OWNER=(setpriv --reuid=mysql --regid=mysql --init-groups --)
  OWNER=mysql
fi
# mariadb-install-db gives root and the installing user unix_socket logins: the script
# administers the server as the OS user it runs as, over the socket, without a password.
ADMIN_USER="$(id -un)"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# alive NAME: the process recorded in NAME.pid runs and is ours (its command line names $DIR).
alive() {
  pidfile_running "$DIR/$1.pid" &&
    tr '\0' ' ' <"/proc/$(cat "$DIR/$1.pid")/cmdline" 2>/dev/null | grep -qF "$DIR"
}

admin_sql() { mariadb --no-defaults --protocol=socket -S "$SOCKET" -u "$ADMIN_USER" --batch "$@"; }

ready() { admin_sql -e 'SELECT 1' >/dev/null 2>&1; }

# until_ready SECONDS: waits for the server to answer on its socket while its process lives.
until_ready() {
  local deadline=$((SECONDS + $1))
  until ready; do
    alive mariadbd || {
      tail -n 5 "$DIR/mariadbd.log" >&2
      fail "the server exited while starting, see $(rel "$DIR")/mariadbd.log"
    }
    [ $SECONDS -lt $deadline ] || fail "the server did not answer within $1 s, see $(rel "$DIR")/mariadbd.log"
    sleep 0.5
  done
}

install_datadir() {
  rm -rf "$DIR/data"
  log "mariadb-install-db $(rel "$DIR")/data"
  "${AS_OWNER[@]}" mariadb-install-db --no-defaults --datadir="$DIR/data" --auth-root-authentication-method=socket \
    --skip-test-db >"$DIR/install-db.log" 2>&1 || {
    tail -n 5 "$DIR/install-db.log" >&2
    fail "mariadb-install-db failed, see $(rel "$DIR")/install-db.log"
  }
}

start_server() {
  alive mariadbd && return 0
  port_in_use "$PORT" && fail "127.0.0.1:$PORT is taken by another process; maintenance-db needs it"
  # --no-defaults: nothing from /etc/mysql (a system server's port, socket or datadir) leaks in.
  # A demo: small buffers, no fsync on commit (nothing here must survive a machine crash).
  setsid "${AS_OWNER[@]}" "$SERVER" --no-defaults --datadir="$DIR/data" --socket="$SOCKET" \
    --port="$PORT" --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$DIR/run/mariadbd.pid" \
    --log-error="$DIR/mariadbd.log" --default-time-zone=+00:00 --character-set-server=utf8mb4 \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=32M --innodb-flush-log-at-trx-commit=2 \
    --event-scheduler=ON --max-connections=40 >>"$DIR/mariadbd.log" 2>&1 </dev/null &
  echo $! >"$DIR/mariadbd.pid"
  until_ready 60
}

# Once, in a new data directory: the accounts, the database and its seed.
seed() {
  log "seeding $DATABASE (demo/maintenance-db/seed.sql)"
  admin_sql <<EOF || return 1
CREATE DATABASE $DATABASE CHARACTER SET utf8mb4;
CREATE USER maintenance_app@'127.0.0.1' IDENTIFIED BY '$APP_PASSWORD';
GRANT SELECT, INSERT, UPDATE, DELETE, EXECUTE ON $DATABASE.* TO maintenance_app@'127.0.0.1';
-- The drill's account: reads everything a consistent dump and the comparison read, changes nothing.
CREATE USER opsdeck_drill@'127.0.0.1' IDENTIFIED BY '$DRILL_PASSWORD';
GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON $DATABASE.* TO opsdeck_drill@'127.0.0.1';
GRANT SELECT ON mysql.proc TO opsdeck_drill@'127.0.0.1';
EOF
  admin_sql "$DATABASE" <"$ROOT/demo/maintenance-db/seed.sql"
}

# The nightly dump, as the manual's job takes it but consistent and complete: one snapshot
# (--single-transaction) with routines, triggers and events.
take_dump() {
  local stamp file partial
  mkdir -p "$DIR/backups"
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  file="$DIR/backups/$DATABASE-$stamp.sql.gz"
  partial="$DIR/backups/.$DATABASE-$stamp.sql.gz.partial"
  [ -e "$file" ] && return 0
  if ! mariadb-dump --no-defaults --protocol=socket -S "$SOCKET" -u "$ADMIN_USER" \
    --single-transaction --routines --triggers --events "$DATABASE" 2>>"$DIR/backup.log" | gzip >"$partial"; then
    rm -f "$partial"
    fail "mariadb-dump failed, see $(rel "$DIR")/backup.log"
  fi
  mv "$partial" "$file"
  # The drill's backend may run as another user: the dumps are readable.
  chmod 644 "$file"
  # shellcheck disable=SC2012 # names are ours: tasks_db-<UTC stamp>.sql.gz
  ls -1t "$DIR/backups"/"$DATABASE"-*.sql.gz | tail -n +$((BACKUPS_KEPT + 1)) | xargs -r rm -f
  log "dump $(rel "$file")"
}

# The service: every 2 s a task reported, the oldest open one started, the oldest started one
# done (its trigger comments the status changes), on one connection; the client exits when its
# connection breaks, and the loop reconnects. --force: one failed statement must not end it.
start_writer() {
  alive writer && return 0
  cat >"$DIR/writer.sql" <<'EOF'
INSERT INTO tasks (title, assignee) VALUES (concat('Inspect unit ', 1 + floor(rand() * 400)), elt(1 + floor(rand() * 8), 'ana', 'bo', 'chidi', 'dana', 'eli', 'farah', 'goran', 'hana'));
UPDATE tasks SET status = 'in_progress' WHERE status = 'open' ORDER BY id LIMIT 1;
UPDATE tasks SET status = 'done' WHERE status = 'in_progress' ORDER BY id LIMIT 1;
EOF
  # shellcheck disable=SC2016 # expanded by the writer's shell; $3, the state directory, names it
  MYSQL_PWD="$APP_PASSWORD" setsid bash -c '
    while :; do
      while sleep 2; do cat "$3/writer.sql"; done |
        mariadb --no-defaults --force -h 127.0.0.1 -P "$1" -u maintenance_app "$2"
      sleep 2
    done' maintenance-writer "$PORT" "$DATABASE" "$DIR" >>"$DIR/writer.log" 2>&1 </dev/null &
  echo $! >"$DIR/writer.pid"
}

start() {
  local t0=$SECONDS
  for p in "$SERVER" /usr/bin/mariadb-install-db /usr/bin/mariadb /usr/bin/mariadb-dump; do
    [ -x "$p" ] || fail "missing $p: install the Debian packages mariadb-server, mariadb-client (scripts/system-packages.sh --demo)"
  done
  if [ "$(id -u)" = 0 ] && ! id mysql >/dev/null 2>&1; then
    fail "running as root needs the user 'mysql' (from the Debian package mariadb-server)"
  fi
  # A first start that stopped half-way left an unseeded server: start afresh.
  if [ ! -f "$DIR/.seeded" ]; then
    stop >/dev/null 2>&1
    rm -rf "$DIR"
  fi
  mkdir -p "$DIR/run" "$DIR/backups"
  if [ "$(id -u)" = 0 ]; then chown mysql: "$DIR" "$DIR/run" "$DIR/backups"; fi
  chmod 755 "$DIR" "$DIR/backups"
  if [ ! -f "$DIR/.seeded" ]; then
    install_datadir
    start_server
    seed || fail "seeding $DATABASE failed"
    touch "$DIR/.seeded"
  else
    start_server
  fi
  take_dump
  start_writer
  log "127.0.0.1:$PORT, database $DATABASE; dump in $(rel "$DIR")/backups ($((SECONDS - t0)) s)"
}

stop() {
  local pid i
  [ -d "$DIR" ] || return 0
  # The writer's whole session (its client too).
  if alive writer; then kill -TERM -- "-$(cat "$DIR/writer.pid")" 2>/dev/null; fi
  rm -f "$DIR/writer.pid"
  if alive mariadbd; then
    # TERM is the server's clean shutdown; a large buffer pool may take a while to write out.
    pid="$(cat "$DIR/mariadbd.pid")"
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 300; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "the server (pid $pid) did not stop within 60 s: killed"
      kill -KILL "$pid" 2>/dev/null
    fi
  fi
  rm -f "$DIR/mariadbd.pid"
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  reset) stop && rm -rf "$DIR" ;;
  *)
    echo "usage: scripts/demo/maintenance-db.sh start|stop|reset" >&2
    exit 2
    ;;
esac
