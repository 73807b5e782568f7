# Process helpers shared by the demo scripts (scripts/demo/*.sh), for one background process
# recorded by its pid in a file. Source it; it is not a demo script itself (scripts/demo.sh
# runs only scripts/demo/*.sh).

# pidfile_running PIDFILE: the recorded process is alive.
pidfile_running() {
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# pidfile_stop PIDFILE: TERM the recorded process, KILL it after 5 s, forget it. Prints the
# pid it stopped, nothing when none was running.
pidfile_stop() {
  if pidfile_running "$1"; then
    local pid
    pid="$(cat "$1")"
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    echo "$pid"
  fi
  rm -f "$1"
  return 0
}

# pidfile_await PIDFILE COMMAND...: run COMMAND every 0.2 s until it succeeds (0) or the
# recorded process dies or PIDFILE_READY_SECONDS (10) pass (1).
pidfile_await() {
  local pidfile="$1"
  shift
  for _ in $(seq 1 $((${PIDFILE_READY_SECONDS:-10} * 5))); do
    "$@" && return 0
    pidfile_running "$pidfile" || return 1
    sleep 0.2
  done
  return 1
}

# The rest expects the sourcing script to define `log MESSAGE` and the functions `start` and
# `stop`.

# pidfile_stop_logged PIDFILE: pidfile_stop, saying which pid it stopped.
pidfile_stop_logged() {
  local pid
  pid="$(pidfile_stop "$1")"
  [ -z "$pid" ] || log "stopped (pid $pid)"
  return 0
}

# pidfile_check_ready PIDFILE LOGFILE COMMAND...: pidfile_await; when the process does not
# become ready, shows the end of LOGFILE, stops it and fails.
pidfile_check_ready() {
  local pidfile="$1" logfile="$2"
  shift 2
  pidfile_await "$pidfile" "$@" && return 0
  log "did not become ready; see $logfile"
  tail -5 "$logfile" >&2
  pidfile_stop_logged "$pidfile"
  return 1
}

# demo_node: prints the node to run, PATH's or else the repository's toolchain one; fails,
# saying so, when there is none.
demo_node() {
  local root node_bin
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
  node_bin="$(command -v node || echo "$root/.toolchain/bin/node")"
  if [ ! -x "$node_bin" ]; then
    log "node is missing: run scripts/bootstrap.sh"
    return 1
  fi
  echo "$node_bin"
}

# pidfile_start_node PIDFILE LOGFILE SECONDS SCRIPT READY...: starts a demo fake, `node SCRIPT`,
# in the background with its output in LOGFILE, records its pid and waits up to SECONDS for
# the command READY... to succeed (pidfile_check_ready). A .ts SCRIPT runs through Backstage's
# own TypeScript loader, which compiles on the fly: a few seconds on a busy machine. The
# server's settings come from the environment, e.g. `PORT=1 pidfile_start_node ...`.
pidfile_start_node() {
  local pidfile="$1" logfile="$2" seconds="$3" script="$4" node_bin root
  shift 4
  node_bin="$(demo_node)" || return 1
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
  local loader=()
  if [[ "$script" == *.ts ]]; then
    loader=(--require "$root/node_modules/@backstage/cli-node/config/nodeTransform.cjs")
    export ESBK_TSCONFIG_PATH="$root/tsconfig.json"
  fi
  # Started straight from this shell (no wrapper such as yarn), so that $! is node's own pid
  # and pidfile_stop ends the server itself.
  cd "$root" || return 1
  nohup "$node_bin" "${loader[@]}" "$script" >"$logfile" 2>&1 &
  echo $! >"$pidfile"
  PIDFILE_READY_SECONDS="$seconds" pidfile_check_ready "$pidfile" "$logfile" "$@"
}

# demo_main SCRIPT ACTION: runs the script's start or stop, or prints its usage.
demo_main() {
  case "$2" in
    start) start ;;
    stop) stop ;;
    *)
      echo "usage: $1 start|stop" >&2
      exit 2
      ;;
  esac
}
