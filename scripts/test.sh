#!/usr/bin/env bash
# Every check of the repository, in order, counted. What `make test` and CI run.
#
#   scripts/test.sh              # all steps (`make test`)
#   scripts/test.sh tsc jest     # only these steps (names as in the summary)
#   OPSDECK_TEST_TARBALLS=1 scripts/test.sh   # all steps and tarballs (what .ci/run runs)
#
# Steps: tsc, lint, prettier, api-reports, scripts, jest, e2e; and tarballs (the packages
# packed and installed into a new create-app app as the README says, 10 to 14 minutes on two
# cores, so a step of CI's .ci/run rather than of every `make test`). A check that is not Jest,
# Playwright or the scripts' tests counts as one test, passed or failed; Jest and Playwright
# count their own tests, read from their JSON reports, and each scripts/tests/*.test.sh ends
# with its own `N passed, N failed` line; a suite that ends without a report counts as one
# failed test.
# The last line printed is `N passed, N failed`; the exit code is non-zero when any failed.
#
# Jest runs with a throwaway PostgreSQL, 15 or newer (scripts/postgres-for-tests.sh), named by
# BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING, so that the store tests run on PostgreSQL
# as well as SQLite; the cluster is stopped when Jest ends, or when this script exits.
#
# Logs and reports go to .run/ (git-ignored).

set -uo pipefail
# runuser (util-linux) lives in /usr/sbin, which a non-login PATH may lack.
case ":$PATH:" in *":/usr/sbin:"*) ;; *) export PATH="$PATH:/usr/sbin:/sbin" ;; esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
RUN_DIR="$ROOT/.run"
mkdir -p "$RUN_DIR"

ALL_STEPS=(tsc lint prettier api-reports scripts jest e2e)
if [ $# -gt 0 ]; then
  STEPS=("$@")
  for s in "${STEPS[@]}"; do
    case " ${ALL_STEPS[*]} tarballs " in
      *" $s "*) ;;
      *)
        echo "unknown step '$s' (steps: ${ALL_STEPS[*]} tarballs)" >&2
        exit 2
        ;;
    esac
  done
else
  STEPS=("${ALL_STEPS[@]}")
  [ "${OPSDECK_TEST_TARBALLS:-}" = 1 ] && STEPS+=(tarballs)
fi

if [ -t 1 ]; then
  BOLD=$'\e[1m' RED=$'\e[31m' GREEN=$'\e[32m' RESET=$'\e[0m'
else
  BOLD='' RED='' GREEN='' RESET=''
fi

TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()
T0=$SECONDS

has_step() {
  [[ " ${STEPS[*]} " == *" $1 "* ]]
}

header() {
  echo
  echo "${BOLD}==> $*${RESET}"
}

# record NAME PASSED FAILED SECONDS NOTE
record() {
  local name="$1" passed="$2" failed="$3" secs="$4" note="${5:-}"
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed))
  # pad before colouring, so that the columns line up on a terminal too
  local status="${GREEN}ok    ${RESET}"
  [ "$failed" -gt 0 ] && status="${RED}FAILED${RESET}"
  SUMMARY+=("$(printf '%-14s %s %6s %6s %6ss  %s' "$name" "$status" "$passed" "$failed" "$secs" "$note")")
  if [ "$failed" -gt 0 ]; then
    echo "${RED}<== $name: $passed passed, $failed failed${RESET} ${note}"
  else
    echo "${GREEN}<== $name: $passed passed${RESET} ${note}"
  fi
}

# A check that is one test: run_check NAME COMMAND...
run_check() {
  local name="$1" start=$SECONDS rc
  shift
  header "$name: $*"
  "$@" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    record "$name" 1 0 $((SECONDS - start))
  else
    record "$name" 0 1 $((SECONDS - start)) "(exit $rc)"
  fi
}

# Reads passed/failed counts from a Jest or Playwright JSON report: prints "PASSED FAILED NOTE".
count_report() {
  node -e '
    const fs = require("fs");
    const [kind, file] = process.argv.slice(1);
    let r;
    try { r = JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) { process.exit(3); }
    if (kind === "jest") {
      // suites that failed to run (syntax error, import error) have no test results
      const broken = r.numRuntimeErrorTestSuites ?? 0;
      const note = [];
      if (r.numPendingTests) note.push(`${r.numPendingTests} skipped`);
      if (broken) note.push(`${broken} suite(s) failed to run`);
      note.push(`${r.numTotalTestSuites ?? 0} suites`);
      console.log(`${r.numPassedTests ?? 0} ${(r.numFailedTests ?? 0) + broken} ${note.join(", ")}`);
    } else {
      const s = r.stats ?? {};
      const errors = (r.errors ?? []).length;
      const note = [];
      if (s.flaky) note.push(`${s.flaky} flaky (passed on retry)`);
      if (s.skipped) note.push(`${s.skipped} skipped`);
      if (errors) note.push(`${errors} error(s) outside tests`);
      const failed = (s.unexpected ?? 0) + (errors && !s.unexpected ? 1 : 0);
      console.log(`${(s.expected ?? 0) + (s.flaky ?? 0)} ${failed} ${note.join(", ")}`);
    }
  ' "$1" "$2"
}

# prettier:check started in the background by the tsc step, and collected at its own step:
# tsc is single-threaded, prettier reads the sources only and .prettierignore skips the
# dist-types/ tsc writes, so on two cores they run side by side (on the shared 2-core
# machine: tsc:full 224 s then prettier:check 99 s, 324 s; together, 191 s).
PRETTIER_BG_PID=""
PRETTIER_RAN=0
start_prettier_in_background() {
  PRETTIER_BG_PID=""
  [ "$PRETTIER_RAN" = 0 ] && has_step prettier || return 0
  rm -f "$RUN_DIR/prettier.status"
  (
    started=$SECONDS
    yarn prettier:check >"$RUN_DIR/prettier.log" 2>&1
    echo "$? $((SECONDS - started))" >"$RUN_DIR/prettier.status"
  ) &
  PRETTIER_BG_PID=$!
}

step_prettier() {
  PRETTIER_RAN=1
  if [ -z "$PRETTIER_BG_PID" ]; then
    run_check prettier yarn prettier:check
    return
  fi
  local rc=1 secs=0
  header "prettier: yarn prettier:check (ran alongside tsc)"
  wait "$PRETTIER_BG_PID"
  PRETTIER_BG_PID=""
  cat "$RUN_DIR/prettier.log"
  read -r rc secs <"$RUN_DIR/prettier.status"
  if [ "$rc" -eq 0 ]; then
    record prettier 1 0 "$secs"
  else
    record prettier 0 1 "$secs" "(exit $rc)"
  fi
}

# The shell scripts' own tests (scripts/tests/*.test.sh, e.g. make start's set-up on a bare
# machine), counted per test from the `N passed, N failed` line each one ends with.
step_scripts() {
  local name=scripts start=$SECONDS test
  COUNT_PASSED=0 COUNT_FAILED=0 COUNT_NOTE=""
  for test in "$ROOT"/scripts/tests/*.test.sh; do
    header "scripts: bash ${test#"$ROOT/"}"
    run_counted bash "$test"
  done
  record "$name" "$COUNT_PASSED" "$COUNT_FAILED" $((SECONDS - start)) "$COUNT_NOTE"
}

# run_counted COMMAND...: runs a script that ends with `N passed, N failed` (its output
# shown as it goes) and adds its counts to COUNT_PASSED, COUNT_FAILED and COUNT_NOTE.
run_counted() {
  local log="$RUN_DIR/counted.log" rc last script="${*: -1}"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  last="$(tail -n 1 "$log")"
  if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    COUNT_PASSED=$((COUNT_PASSED + BASH_REMATCH[1]))
    COUNT_FAILED=$((COUNT_FAILED + BASH_REMATCH[2]))
    if [ $rc -ne 0 ] && [ "${BASH_REMATCH[2]}" = 0 ]; then
      COUNT_FAILED=$((COUNT_FAILED + 1))
      COUNT_NOTE="$COUNT_NOTE ${script##*/} exited $rc with no failed test;"
    fi
  else
    COUNT_FAILED=$((COUNT_FAILED + 1))
    COUNT_NOTE="$COUNT_NOTE ${script##*/} ended without a count (exit $rc);"
  fi
}

# The packages as a platform team installs them: packed, added to a new create-app app by
# the README's steps, started (scripts/tests/install-from-tarballs.sh), counted per check.
step_tarballs() {
  local start=$SECONDS
  COUNT_PASSED=0 COUNT_FAILED=0 COUNT_NOTE=""
  header "tarballs: scripts/tests/install-from-tarballs.sh (npm registry, Chromium)"
  run_counted "$ROOT/scripts/tests/install-from-tarballs.sh"
  record tarballs "$COUNT_PASSED" "$COUNT_FAILED" $((SECONDS - start)) "$COUNT_NOTE"
}

# The PostgreSQL cluster for Jest, stopped only by the run that started it.
PG_STARTED_HERE=0
stop_test_postgres() {
  if [ "$PG_STARTED_HERE" = 1 ]; then
    PG_STARTED_HERE=0
    opsdeck_pg_tests_stop 2>&1
  fi
}
trap stop_test_postgres EXIT

# Jest through backstage-cli, counted per test.
step_jest() {
  local name=jest start=$SECONDS rc report="$RUN_DIR/jest-results.json" counts pg_ok=1
  header "postgres: scripts/postgres-for-tests.sh (PostgreSQL 15+ for TestDatabases)"
  # not in a subshell: it exports the connection string
  opsdeck_pg_tests_start 2>&1 || pg_ok=0
  [ "${OPSDECK_PG_TESTS_STARTED:-0}" = 1 ] && PG_STARTED_HERE=1
  header "jest: CI=true yarn test --json --outputFile=${report#"$ROOT/"}"
  rm -f "$report"
  CI=true yarn test --json --outputFile="$report" 2>&1
  rc=$?
  stop_test_postgres
  if counts="$(count_report jest "$report")"; then
    local passed failed note
    read -r passed failed note <<<"$counts"
    if [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; then
      failed=1
      note="$note; jest exited $rc with no failed test"
    fi
    if [ $pg_ok = 0 ]; then
      [ "$failed" -eq 0 ] && failed=1
      note="$note; PostgreSQL for tests did not start (see above)"
    fi
    record "$name" "$passed" "$failed" $((SECONDS - start)) "$note"
  else
    record "$name" 0 1 $((SECONDS - start)) "(exit $rc, no report)"
  fi
}

# Playwright against the app and backend started by scripts/e2e.sh, counted per test.
step_e2e() {
  local name=e2e start=$SECONDS rc report="$RUN_DIR/e2e-results.json" counts
  header "e2e: scripts/e2e.sh (app :3000 + backend :7007, Playwright in /usr/bin/chromium)"
  rm -f "$report"
  PLAYWRIGHT_JSON_OUTPUT_FILE="$report" "$ROOT/scripts/e2e.sh" 2>&1
  rc=$?
  if counts="$(count_report playwright "$report")"; then
    local passed failed note
    read -r passed failed note <<<"$counts"
    if [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; then
      failed=1
      note="$note; exited $rc with no failed test"
    fi
    record "$name" "$passed" "$failed" $((SECONDS - start)) "$note"
  else
    record "$name" 0 1 $((SECONDS - start)) "(exit $rc, no report: see .run/e2e-*.log)"
  fi
}

finish() {
  echo
  echo "${BOLD}Summary${RESET} (logs and reports in .run/, total $((SECONDS - T0)) s)"
  printf '%-14s %-6s %6s %6s %7s  %s\n' step status passed failed time note
  local line
  for line in "${SUMMARY[@]}"; do
    echo "$line"
  done
  echo
  echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
  [ "$TOTAL_FAILED" -eq 0 ]
  exit $?
}

# --- set-up: node 22, yarn, Debian packages, node_modules ------------------------------------
header "setup: scripts/bootstrap.sh, scripts/system-packages.sh"
setup_start=$SECONDS
OPSDECK_BOOTSTRAP_LIB=1 . "$ROOT/scripts/bootstrap.sh"
if ! opsdeck_bootstrap --no-install 2>&1; then
  record setup 0 1 $((SECONDS - setup_start)) "(node/yarn: see above)"
  finish
fi
. "$ROOT/scripts/system-packages.sh"
. "$ROOT/scripts/postgres-for-tests.sh"
PACKAGES_OK=1
if has_step e2e || has_step jest; then
  if ! opsdeck_ensure_deb_packages "${OPSDECK_TEST_DEB_PACKAGES[@]}" 2>&1; then
    PACKAGES_OK=0
  fi
fi
if ! opsdeck_yarn_install 2>&1; then
  record setup 0 1 $((SECONDS - setup_start)) "(yarn install: see above)"
  finish
fi
echo "setup took $((SECONDS - setup_start)) s"

for step in "${STEPS[@]}"; do
  case "$step" in
    # The same compile as `yarn build:api-reports` (repo-tools' --tsc: not
    # incremental, library types checked): the members of inferred types are
    # printed in the order the checker met them, so declarations from any other
    # compile can differ from the committed reports the check below reads.
    # From an empty dist-types/: tsc never deletes the declarations of a moved
    # file, and a stale slo/selector.d.ts shadows the slo/selector/ folder.
    tsc)
      rm -rf dist-types
      start_prettier_in_background
      run_check tsc yarn tsc:full
      ;;
    lint) run_check lint yarn lint:all ;;
    prettier) step_prettier ;;
    # The tsc step has just written fresh dist-types/; the check reads them (no second tsc).
    api-reports)
      if has_step tsc; then
        run_check api-reports yarn build:api-reports:only --ci
      else
        run_check api-reports yarn build:api-reports:check
      fi
      ;;
    scripts) step_scripts ;;
    tarballs) step_tarballs ;;
    jest) step_jest ;;
    e2e)
      if [ "$PACKAGES_OK" = 1 ]; then
        step_e2e
      else
        header "e2e"
        record e2e 0 1 0 "(Debian packages missing: see setup)"
      fi
      ;;
  esac
done

finish
