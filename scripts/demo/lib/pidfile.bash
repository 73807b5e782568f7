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
# recorded process dies or 10 s pass (1).
pidfile_await() {
  local pidfile="$1"
  shift
  for _ in $(seq 1 50); do
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
