#!/usr/bin/env bash
# A throwaway PostgreSQL cluster (15 or newer) for the tests, on a free loopback port.
#
#   scripts/postgres-for-tests.sh [start]   # start it, or reuse the running one; prints
#                                           #   export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=...
#   eval "$(scripts/postgres-for-tests.sh)" # the same, and set the variable in this shell
#   scripts/postgres-for-tests.sh status    # prints the connection string, fails when not running
#   scripts/postgres-for-tests.sh restart   # restart the running server: same port, data kept
#   scripts/postgres-for-tests.sh stop      # stop it and delete its data
#   . scripts/postgres-for-tests.sh         # defines the opsdeck_pg_tests_* functions only
#
# Backstage's TestDatabases (@backstage/backend-test-utils) uses the server named by
# BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING instead of starting one with Docker; it
# creates a database per test instance, so the role is a superuser. Authentication is `trust`,
# listening on 127.0.0.1 only; durability is off (fsync, synchronous_commit): the data is
# thrown away.
#
# The server refuses to run as root: as root the cluster runs as the `postgres` user (created by
# the Debian package), in a directory that user owns; otherwise as the current user.
#
# Environment:
#   OPSDECK_PG_BIN         server binaries (default: the newest /usr/lib/postgresql/<major>/bin, 15 or
#                          newer, see scripts/lib/postgres-bin.bash); exported, so that the
#                          TypeScript test utilities use the same server
#   OPSDECK_PG_TESTS_DIR   cluster directory (default .run/pg-tests in the repository)
#   OPSDECK_PG_TESTS_PORT  first port to try (default 5433); the next free one is used

OPSDECK_PG_VAR=BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
# runuser (util-linux) lives in /usr/sbin, which a non-login PATH may lack.
case ":$PATH:" in *":/usr/sbin:"*) ;; *) export PATH="$PATH:/usr/sbin:/sbin" ;; esac
OPSDECK_PG_ROLE=opsdeck_test

_opsdeck_pg_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
# shellcheck source=lib/postgres-bin.bash
. "$_opsdeck_pg_root/scripts/lib/postgres-bin.bash"
# Resolved once and exported: the Jest utilities (postgresTestCluster.ts) read OPSDECK_PG_BIN.
# When none is installed it stays unset here and opsdeck_pg_tests_start says what to install.
if OPSDECK_PG_BIN="$(opsdeck_pg_bin)"; then
  export OPSDECK_PG_BIN
else
  unset OPSDECK_PG_BIN
fi
: "${OPSDECK_PG_TESTS_DIR:=$_opsdeck_pg_root/.run/pg-tests}"
: "${OPSDECK_PG_TESTS_PORT:=5433}"

_opsdeck_pg_log() { echo "[postgres-for-tests] $*" >&2; }

# Runs a server command as the cluster's owner.
_opsdeck_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

_opsdeck_pg_data() { echo "$OPSDECK_PG_TESTS_DIR/data"; }

# Prints the port of the running cluster, or fails when it is not running.
_opsdeck_pg_running_port() {
  local data
  data="$(_opsdeck_pg_data)"
  [ -f "$data/postmaster.pid" ] || return 1
  _opsdeck_pg_as_owner "$OPSDECK_PG_BIN/pg_ctl" status -D "$data" >/dev/null 2>&1 || return 1
  # line 4 of postmaster.pid is the port
  sed -n 4p "$data/postmaster.pid"
}

_opsdeck_pg_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

_opsdeck_pg_url() {
  echo "postgresql://$OPSDECK_PG_ROLE@127.0.0.1:$1/postgres"
}

# opsdeck_pg_tests_status: prints the connection string of the running cluster.
opsdeck_pg_tests_status() {
  local port
  port="$(_opsdeck_pg_running_port)" || return 1
  _opsdeck_pg_url "$port"
}

# opsdeck_pg_tests_start: starts the cluster (or finds it running), creates the test role and
# exports the connection string. Sets OPSDECK_PG_TESTS_STARTED=1 when this call started the
# server (also when a later step failed), 0 when it was already running or did not start.
opsdeck_pg_tests_start() {
  local data port tries started=0 bin
  OPSDECK_PG_TESTS_STARTED=0
  data="$(_opsdeck_pg_data)"
  if [ -z "${OPSDECK_PG_BIN:-}" ] && ! OPSDECK_PG_BIN="$(opsdeck_pg_bin)"; then
    _opsdeck_pg_log "no PostgreSQL server of $OPSDECK_PG_MIN_MAJOR or newer in ${OPSDECK_PG_LIB_DIR:-/usr/lib/postgresql}/*/bin:"
    _opsdeck_pg_log "  install the Debian package postgresql (scripts/system-packages.sh postgresql)"
    return 1
  fi
  export OPSDECK_PG_BIN
  for bin in initdb pg_ctl psql; do
    if [ ! -x "$OPSDECK_PG_BIN/$bin" ]; then
      _opsdeck_pg_log "missing $OPSDECK_PG_BIN/$bin (OPSDECK_PG_BIN): install the Debian package postgresql"
      _opsdeck_pg_log "  (scripts/system-packages.sh postgresql)"
      return 1
    fi
  done
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    _opsdeck_pg_log "running as root needs the user 'postgres' (from the Debian package postgresql)"
    return 1
  fi

  mkdir -p "$OPSDECK_PG_TESTS_DIR" || return 1
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$OPSDECK_PG_TESTS_DIR" || return 1
  fi
  chmod 700 "$OPSDECK_PG_TESTS_DIR"

  if ! port="$(_opsdeck_pg_running_port)"; then
    if [ ! -f "$data/PG_VERSION" ]; then
      rm -rf "$data"
      _opsdeck_pg_log "initdb $data"
      if ! _opsdeck_pg_as_owner "$OPSDECK_PG_BIN/initdb" -D "$data" -U postgres \
        --auth=trust --encoding=UTF8 --no-locale --no-sync \
        >"$OPSDECK_PG_TESTS_DIR/initdb.log" 2>&1; then
        cat "$OPSDECK_PG_TESTS_DIR/initdb.log" >&2
        return 1
      fi
    fi
    port="$OPSDECK_PG_TESTS_PORT"
    for tries in 1 2 3 4 5; do
      while _opsdeck_pg_port_in_use "$port"; do
        port=$((port + 1))
      done
      _opsdeck_pg_log "starting PostgreSQL $("$OPSDECK_PG_BIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port"
      # -k: the socket goes to a directory the owner can write; no TCP other than loopback.
      if _opsdeck_pg_as_owner "$OPSDECK_PG_BIN/pg_ctl" start -D "$data" -w -t 60 \
        -l "$OPSDECK_PG_TESTS_DIR/server.log" \
        -o "-p $port -k '$OPSDECK_PG_TESTS_DIR' -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >/dev/null; then
        started=1
        OPSDECK_PG_TESTS_STARTED=1
        break
      fi
      # most likely another process took the port in between: try the next one
      tail -n 5 "$OPSDECK_PG_TESTS_DIR/server.log" >&2
      port=$((port + 1))
    done
    if [ "$started" != 1 ]; then
      _opsdeck_pg_log "could not start the server, see $OPSDECK_PG_TESTS_DIR/server.log"
      return 1
    fi
  else
    _opsdeck_pg_log "already running on 127.0.0.1:$port"
  fi

  if ! "$OPSDECK_PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt \
    -v ON_ERROR_STOP=1 -c "
      DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$OPSDECK_PG_ROLE') THEN
          CREATE ROLE $OPSDECK_PG_ROLE LOGIN SUPERUSER;
        END IF;
      END \$\$;" >&2; then
    _opsdeck_pg_log "could not create the role $OPSDECK_PG_ROLE"
    return 1
  fi

  export "$OPSDECK_PG_VAR=$(_opsdeck_pg_url "$port")"
  _opsdeck_pg_log "$OPSDECK_PG_VAR=$(_opsdeck_pg_url "$port")"
}

# opsdeck_pg_tests_restart: restarts the running server with the same options (port included)
# and keeps its data, as a database restart under a running client would.
opsdeck_pg_tests_restart() {
  local data
  data="$(_opsdeck_pg_data)"
  if ! _opsdeck_pg_running_port >/dev/null; then
    _opsdeck_pg_log "not running"
    return 1
  fi
  _opsdeck_pg_log "restarting"
  # pg_ctl restart reuses the options of the last start (postmaster.opts)
  _opsdeck_pg_as_owner "$OPSDECK_PG_BIN/pg_ctl" restart -D "$data" -m fast -w -t 60 \
    -l "$OPSDECK_PG_TESTS_DIR/server.log" >/dev/null
}

# opsdeck_pg_tests_stop: stops the cluster, deletes its directory, unsets the variable.
opsdeck_pg_tests_stop() {
  local data rc=0
  data="$(_opsdeck_pg_data)"
  if _opsdeck_pg_running_port >/dev/null; then
    _opsdeck_pg_log "stopping"
    _opsdeck_pg_as_owner "$OPSDECK_PG_BIN/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null || rc=1
  fi
  if [ $rc = 0 ]; then
    rm -rf "$OPSDECK_PG_TESTS_DIR"
  fi
  unset "$OPSDECK_PG_VAR"
  return $rc
}

if [ -z "${BASH_SOURCE[0]:-}" ] || [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-start}" in
    start)
      opsdeck_pg_tests_start || exit 1
      printf 'export %s=%q\n' "$OPSDECK_PG_VAR" "${!OPSDECK_PG_VAR}"
      ;;
    status)
      opsdeck_pg_tests_status || {
        _opsdeck_pg_log "not running"
        exit 1
      }
      ;;
    restart) opsdeck_pg_tests_restart || exit 1 ;;
    stop) opsdeck_pg_tests_stop || exit 1 ;;
    *)
      echo "usage: $0 [start|status|restart|stop]" >&2
      exit 2
      ;;
  esac
fi
