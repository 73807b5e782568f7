#!/usr/bin/env bash
# The demo database of orders-api, `orders-db`, on the stack teams run in production: a Patroni
# cluster (Debian's patroni 3 with one etcd) of two PostgreSQL members, archiving WAL into a
# pgBackRest repository, reached through PgBouncer. The backup drill (ops-db-backup-drill) restores
# it from the repository; the failover (ops-db-failover) asks Patroni to switch over and repoints
# PgBouncer. A small writer keeps taking orders through PgBouncer, as the orders service would.
#
#   scripts/demo/orders-db.sh start   # create (first time, ~30 s) or start, then a full backup
#   scripts/demo/orders-db.sh stop    # stop everything; the data stays for a fast next start
#   scripts/demo/orders-db.sh reset   # stop and delete everything under $OPSDECK_DEMO_DIR/orders-db
#
# Loopback only, fixed ports (the same in app-config.yaml, ops.databases.orders-db):
#   etcd 2479 (peer 2480); members orders-1 and orders-2: PostgreSQL 5465 / 5466, Patroni REST API
#   8018 / 8019; PgBouncer 6442 (database `orders`, admin console as pgbouncer_admin).
# Under $OPSDECK_DEMO_DIR/orders-db/ (.run/demo/orders-db for make start):
#   etcd/ orders-1/ orders-2/     etcd's and the members' data; orders-N.yml Patroni's config
#   pgbackrest/                   pgbackrest.conf (stanza `orders`) and the repository, repo/
#   pgbouncer/                    pgbouncer.ini, userlist.txt and opsdeck-routes.ini, the file
#                                 the failover rewrites (pgbouncer.ini %includes it)
#   *.pid *.log                   the processes and their logs
# Servers run as the `postgres` user when started as root (PostgreSQL and PgBouncer refuse root).
# Passwords are this local demo's own (app-config.yaml has the same defaults):
#   ORDERS_DB_PASSWORD (orders_app, through PgBouncer), ORDERS_DB_DRILL_PASSWORD (opsdeck_drill,
#   pg_read_all_data), ORDERS_DB_FAILOVER_PASSWORD (opsdeck_failover, pg_monitor),
#   ORDERS_PGBOUNCER_ADMIN_PASSWORD (pgbouncer_admin).

set -uo pipefail
case ":$PATH:" in *":/usr/sbin:"*) ;; *) export PATH="$PATH:/usr/sbin:/sbin" ;; esac
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${OPSDECK_DEMO_DIR:-$ROOT/.run/demo}/orders-db"
# shellcheck source=../lib/postgres-bin.bash
. "$ROOT/scripts/lib/postgres-bin.bash"
BIN="$(opsdeck_pg_bin)" || BIN=""
ETCD_PORT=2479
ETCD_PEER_PORT=2480
MEMBERS=(orders-1 orders-2)
declare -A PG_PORT=([orders-1]=5465 [orders-2]=5466) API_PORT=([orders-1]=8018 [orders-2]=8019)
PGBOUNCER_PORT=6442
STANZA=orders
APP_PASSWORD="${ORDERS_DB_PASSWORD:-orders-demo-only}"
DRILL_PASSWORD="${ORDERS_DB_DRILL_PASSWORD:-drill-demo-only}"
FAILOVER_PASSWORD="${ORDERS_DB_FAILOVER_PASSWORD:-failover-demo-only}"
ADMIN_PASSWORD="${ORDERS_PGBOUNCER_ADMIN_PASSWORD:-pgbouncer-demo-only}"
BACKREST_CONF="$DIR/pgbackrest/pgbackrest.conf"
ROUTES="$DIR/pgbouncer/opsdeck-routes.ini"

log() { echo "[demo/orders-db] $*" >&2; }
fail() {
  log "$*"
  exit 1
}
rel() { echo "${1#"$ROOT/"}"; }

# Runs a program as the servers' user. setpriv execs it (runuser would stay its parent), so a
# recorded $! is the program itself.
AS_OWNER=()
[ "$(id -u)" = 0 ] && AS_OWNER=(setpriv --reuid=postgres --regid=postgres --init-groups --)
as_owner() { "${AS_OWNER[@]}" "$@"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# alive NAME: the process recorded in NAME.pid runs and is ours (its command line names $DIR).
alive() {
  local pid
  pid="$(cat "$DIR/$1.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$DIR"
}

# spawn NAME PROGRAM ARGS...: starts a server in the background as the servers' user, in its own
# session (a Ctrl-C of make start must not reach it), logging to NAME.log.
spawn() {
  local name="$1"
  shift
  HOME="$DIR" LANG=C.UTF-8 setsid "${AS_OWNER[@]}" "$@" >>"$DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
}

# until_ok SECONDS WHAT COMMAND...: runs COMMAND every second until it succeeds; fails naming WHAT.
until_ok() {
  local seconds="$1" what="$2" deadline=$((SECONDS + $1))
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || {
      log "timed out after $seconds s waiting for $what"
      return 1
    }
    sleep 1
  done
}

# stop_process NAME GRACE: TERM, wait up to GRACE seconds, then KILL.
stop_process() {
  alive "$1" || {
    rm -f "$DIR/$1.pid"
    return 0
  }
  local pid i
  pid="$(cat "$DIR/$1.pid")"
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < $2 * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$1 (pid $pid) did not stop within $2 s: killed"
    kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$DIR/$1.pid"
}

cluster_json() { curl -fsS --max-time 2 "http://127.0.0.1:${API_PORT[$1]}/cluster"; }

# The member Patroni names as the running leader (asked of any member).
leader() {
  local m json
  for m in "${MEMBERS[@]}"; do
    json="$(cluster_json "$m" 2>/dev/null)" || continue
    python3 -c 'import json,sys; print(next(m["name"] for m in json.load(sys.stdin)["members"] if m["role"] == "leader" and m["state"] == "running"))' <<<"$json" 2>/dev/null && return 0
  done
  return 1
}

psql_member() { # member database psql-args...
  local m="$1" db="$2"
  shift 2
  "$BIN/psql" -h "$DIR/$m-sock" -p "${PG_PORT[$m]}" -U postgres -d "$db" -X -q -v ON_ERROR_STOP=1 "$@"
}

leads() { [ "$(leader)" = "$1" ]; }

streaming() { [ "$(psql_member "$1" postgres -tAc 'SELECT status FROM pg_stat_wal_receiver')" = streaming ]; }

member_config() { # member: Patroni's YAML (as JSON, which is YAML)
  local m="$1"
  cat <<EOF
{
  "scope": "orders-db", "name": "$m",
  "log": {"level": "INFO"},
  "restapi": {"listen": "127.0.0.1:${API_PORT[$m]}", "connect_address": "127.0.0.1:${API_PORT[$m]}"},
  "etcd3": {"hosts": ["127.0.0.1:$ETCD_PORT"]},
  "bootstrap": {
    "dcs": {
      "ttl": 30, "loop_wait": 3, "retry_timeout": 10, "maximum_lag_on_failover": 16777216,
      "postgresql": {"use_pg_rewind": false, "parameters": {
        "wal_level": "replica", "hot_standby": "on", "max_wal_senders": 10,
        "max_replication_slots": 10, "wal_keep_size": "256MB", "max_connections": 40,
        "archive_mode": "on", "archive_timeout": 60, "fsync": "off"}}
    },
    "initdb": [{"encoding": "UTF8"}, "no-locale", {"username": "postgres"}]
  },
  "postgresql": {
    "listen": "127.0.0.1:${PG_PORT[$m]}", "connect_address": "127.0.0.1:${PG_PORT[$m]}",
    "data_dir": "$DIR/$m", "bin_dir": "$BIN", "pgpass": "$DIR/$m.pgpass", "use_unix_socket": true,
    "basebackup": [{"checkpoint": "fast"}],
    "authentication": {
      "superuser": {"username": "postgres", "password": "patroni-super-demo-only"},
      "replication": {"username": "replicator", "password": "patroni-repl-demo-only"}},
    "parameters": {
      "unix_socket_directories": "$DIR/$m-sock", "shared_buffers": "32MB",
      "wal_receiver_status_interval": "1s",
      "archive_command": "pgbackrest --config=$BACKREST_CONF --stanza=$STANZA --pg1-path=$DIR/$m archive-push %p"},
    "pg_hba": ["local all all trust", "host replication replicator 127.0.0.1/32 scram-sha-256",
               "host all all 127.0.0.1/32 scram-sha-256"]
  },
  "watchdog": {"mode": "off"},
  "tags": {"nofailover": false, "noloadbalance": false, "clonefrom": false}
}
EOF
}

write_configs() {
  local m
  mkdir -p "$DIR/pgbackrest/repo" "$DIR/pgbackrest/lock" "$DIR/pgbackrest/log" "$DIR/pgbouncer"
  for m in "${MEMBERS[@]}"; do
    mkdir -p "$DIR/$m-sock"
    member_config "$m" >"$DIR/$m.yml"
  done
  # The repository's config, which OpsDeck's drill reads too (backup.configFile). pg1 is the
  # first member; archive-push and the backup name the member they run for on their command line.
  cat >"$BACKREST_CONF" <<EOF
[global]
repo1-path=$DIR/pgbackrest/repo
repo1-retention-full=2
lock-path=$DIR/pgbackrest/lock
log-path=$DIR/pgbackrest/log
log-level-file=off
log-level-console=warn
start-fast=y
compress-type=gz

[$STANZA]
pg1-path=$DIR/orders-1
pg1-port=${PG_PORT[orders-1]}
pg1-socket-path=$DIR/orders-1-sock
pg1-user=postgres
EOF
  printf '"%s" "%s"\n' orders_app "$APP_PASSWORD" pgbouncer_admin "$ADMIN_PASSWORD" >"$DIR/pgbouncer/userlist.txt"
  chmod 600 "$DIR/pgbouncer/userlist.txt"
  # Transaction pooling: PAUSE then waits only for the transactions in flight.
  cat >"$DIR/pgbouncer/pgbouncer.ini" <<EOF
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = md5
auth_file = $DIR/pgbouncer/userlist.txt
admin_users = pgbouncer_admin
pool_mode = transaction
default_pool_size = 5
server_login_retry = 1
logfile = $DIR/pgbouncer/pgbouncer.log
pidfile = $DIR/pgbouncer.pid

; Last: the included file opens its own [databases] section. OpsDeck's failover rewrites it.
%include $ROUTES
EOF
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres: "$DIR"
  fi
}

start_etcd() {
  alive etcd && return 0
  port_in_use "$ETCD_PORT" && fail "127.0.0.1:$ETCD_PORT is taken by another process; orders-db's etcd needs it"
  spawn etcd /usr/bin/etcd --name=orders-db-etcd --data-dir="$DIR/etcd" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="orders-db-etcd=http://127.0.0.1:$ETCD_PEER_PORT" --enable-v2=false
  until_ok 20 "etcd on 127.0.0.1:$ETCD_PORT (see $(rel "$DIR")/etcd.log)" port_in_use "$ETCD_PORT" || exit 1
}

start_member() {
  local m="$1"
  alive "$m" && return 0
  local p
  for p in "${PG_PORT[$m]}" "${API_PORT[$m]}"; do
    port_in_use "$p" && fail "127.0.0.1:$p is taken by another process; orders-db's member $m needs it"
  done
  spawn "$m" /usr/bin/patroni "$DIR/$m.yml"
}

# Sets up what the drill, the failover and the application need, once: roles, the orders
# database and its seed (demo/orders-db/orders-seed.sql). The members replicate it all.
seed() {
  local m="$1"
  psql_member "$m" postgres <<EOF >/dev/null || return 1
CREATE ROLE orders_app LOGIN PASSWORD '$APP_PASSWORD';
CREATE ROLE opsdeck_drill LOGIN PASSWORD '$DRILL_PASSWORD' IN ROLE pg_read_all_data;
-- The Patroni failover's minimal role: lag checks (pg_monitor) and its canary table; no superuser.
CREATE ROLE opsdeck_failover LOGIN PASSWORD '$FAILOVER_PASSWORD' IN ROLE pg_monitor;
CREATE DATABASE orders OWNER orders_app;
EOF
  psql_member "$m" orders -f "$ROOT/demo/orders-db/orders-seed.sql" >/dev/null
}

# A new full backup on every start, of the current leader (the repository has the WAL since).
backup() {
  local m="$1" args
  args=(--config="$BACKREST_CONF" --stanza="$STANZA" --pg1-path="$DIR/$m" --pg1-port="${PG_PORT[$m]}"
    --pg1-socket-path="$DIR/$m-sock")
  if [ ! -f "$DIR/.stanza" ]; then
    as_owner pgbackrest "${args[@]}" stanza-create >>"$DIR/pgbackrest.log" 2>&1 ||
      fail "pgbackrest stanza-create failed, see $(rel "$DIR")/pgbackrest.log"
    touch "$DIR/.stanza"
  fi
  as_owner timeout 120 pgbackrest "${args[@]}" --type=full backup >>"$DIR/pgbackrest.log" 2>&1 ||
    fail "pgbackrest backup of $m failed, see $(rel "$DIR")/pgbackrest.log"
}

# PgBouncer sends `orders` to the leader; the route is (re)written when it names another port
# (a first start, or a restart after which Patroni elected the other member).
route_to() {
  local m="$1" line
  line="orders = host=127.0.0.1 port=${PG_PORT[$m]} dbname=orders"
  grep -qxF "$line" "$ROUTES" 2>/dev/null && return 0
  printf '; orders-api through PgBouncer; OpsDeck'"'"'s failover rewrites this entry\n[databases]\n%s\n' "$line" >"$ROUTES"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$ROUTES"; fi
  if alive pgbouncer; then
    PGPASSWORD="$ADMIN_PASSWORD" "$BIN/psql" -h 127.0.0.1 -p "$PGBOUNCER_PORT" -U pgbouncer_admin -d pgbouncer \
      -X -q -c RELOAD >/dev/null || fail "PgBouncer did not reload $(rel "$ROUTES")"
  fi
}

start_pgbouncer() {
  alive pgbouncer && return 0
  port_in_use "$PGBOUNCER_PORT" && fail "127.0.0.1:$PGBOUNCER_PORT is taken by another process; orders-db's PgBouncer needs it"
  # -d: PgBouncer daemonizes and writes its pidfile itself.
  as_owner /usr/sbin/pgbouncer -d "$DIR/pgbouncer/pgbouncer.ini" >>"$DIR/pgbouncer-start.log" 2>&1 ||
    fail "PgBouncer did not start, see $(rel "$DIR")/pgbouncer-start.log and pgbouncer/pgbouncer.log"
  until_ok 10 "PgBouncer on 127.0.0.1:$PGBOUNCER_PORT" port_in_use "$PGBOUNCER_PORT" || exit 1
}

# The orders service: through PgBouncer, every 2 s one order placed and the oldest pending one
# shipped, on one connection; psql exits when its connection breaks, and the loop reconnects.
start_writer() {
  alive writer && return 0
  cat >"$DIR/writer.sql" <<'EOF'
WITH o AS (INSERT INTO orders (customer_id) VALUES (1 + (random() * 499)::int) RETURNING id)
  INSERT INTO order_events (order_id, event) SELECT id, 'placed' FROM o;
UPDATE orders SET status = 'shipped' WHERE id = (SELECT min(id) FROM orders WHERE status = 'pending');
EOF
  # shellcheck disable=SC2016 # expanded by the writer's shell; $3, the state directory, names it
  PGPASSWORD="$APP_PASSWORD" setsid bash -c '
    while :; do
      while sleep 2; do cat "$3/writer.sql"; done |
        "$1/psql" -h 127.0.0.1 -p "$2" -U orders_app -d orders -X -q
      sleep 2
    done' orders-writer "$BIN" "$PGBOUNCER_PORT" "$DIR" >>"$DIR/writer.log" 2>&1 </dev/null &
  echo $! >"$DIR/writer.pid"
}

start() {
  local t0=$SECONDS m lead first
  [ -n "$BIN" ] || fail "no PostgreSQL server of $OPSDECK_PG_MIN_MAJOR or newer: install the Debian package postgresql (scripts/system-packages.sh --demo)"
  for p in /usr/bin/patroni /usr/bin/etcd /usr/bin/pgbackrest /usr/sbin/pgbouncer; do
    [ -x "$p" ] || fail "missing $p: install the Debian packages patroni, etcd-server, pgbackrest, pgbouncer (scripts/system-packages.sh --demo)"
  done
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    fail "running as root needs the user 'postgres' (from the Debian package postgresql)"
  fi
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  # A first start that stopped half-way left an unseeded cluster: start afresh.
  if [ ! -f "$DIR/.seeded" ]; then
    stop >/dev/null 2>&1
    rm -rf "$DIR" && mkdir -p "$DIR" && chmod 755 "$DIR"
  fi
  write_configs
  start_etcd
  # The member that led when the demo stopped starts first and leads again (started together,
  # either may win the leader lock); orders-1 bootstraps a new cluster.
  first="$(cat "$DIR/last-leader" 2>/dev/null)"
  [ -n "${PG_PORT[${first:-none}]:-}" ] || first=orders-1
  [ -f "$DIR/.seeded" ] || log "bootstrapping Patroni member $first (etcd 127.0.0.1:$ETCD_PORT)"
  start_member "$first"
  until_ok 90 "a Patroni leader (see $(rel "$DIR")/$first.log)" leader || exit 1
  lead="$(leader)"
  if [ ! -f "$DIR/.seeded" ]; then
    seed "$lead" || fail "seeding the orders database failed"
    touch "$DIR/.seeded"
  fi
  for m in "${MEMBERS[@]}"; do start_member "$m"; done
  lead="$(leader)"
  for m in "${MEMBERS[@]}"; do
    [ "$m" = "$lead" ] && continue
    until_ok 120 "$m to stream from $lead (see $(rel "$DIR")/$m.log)" streaming "$m" || exit 1
  done
  route_to "$lead"
  start_pgbouncer
  backup "$lead"
  start_writer
  log "leader $lead; members 127.0.0.1:${PG_PORT[orders-1]},${PG_PORT[orders-2]}, PgBouncer 127.0.0.1:$PGBOUNCER_PORT, database orders; full backup in $(rel "$DIR")/pgbackrest ($((SECONDS - t0)) s)"
}

stop() {
  local m
  [ -d "$DIR" ] || return 0
  leader >"$DIR/last-leader.new" 2>/dev/null && mv "$DIR/last-leader.new" "$DIR/last-leader"
  rm -f "$DIR/last-leader.new"
  # The writer's whole session (its psql too).
  if alive writer; then kill -TERM -- "-$(cat "$DIR/writer.pid")" 2>/dev/null; fi
  rm -f "$DIR/writer.pid"
  stop_process pgbouncer 10
  # Patroni stops its PostgreSQL on TERM (a fast shutdown): give it time.
  for m in "${MEMBERS[@]}"; do alive "$m" && kill -TERM "$(cat "$DIR/$m.pid")" 2>/dev/null; done
  for m in "${MEMBERS[@]}"; do stop_process "$m" 40; done
  # A Patroni killed hard leaves its postmaster behind.
  for m in "${MEMBERS[@]}"; do
    if [ -f "$DIR/$m/postmaster.pid" ] && as_owner "$BIN/pg_ctl" status -D "$DIR/$m" >/dev/null 2>&1; then
      as_owner "$BIN/pg_ctl" stop -D "$DIR/$m" -m immediate -w >/dev/null 2>&1
    fi
  done
  stop_process etcd 10
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  reset) stop && rm -rf "$DIR" ;;
  leader) leader ;;
  *)
    echo "usage: scripts/demo/orders-db.sh start|stop|reset" >&2
    exit 2
    ;;
esac
