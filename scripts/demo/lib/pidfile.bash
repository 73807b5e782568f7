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
