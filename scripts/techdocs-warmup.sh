#!/usr/bin/env bash
# Builds the TechDocs sites of the catalog's documented entities (the runbooks of the example
# services) through the running backend, then waits until the search backend has indexed them.
#
#   scripts/techdocs-warmup.sh [BACKEND_URL]     # default http://localhost:7007
#
# Why: the local TechDocs builder builds a site only when someone first opens it, and the search
# backend's TechDocs collator indexes only built sites. Until one is indexed, the search on every
# docs page answers 500 ("Missing index for techdocs"). make start (scripts/start.sh) and the e2e
# tests (scripts/e2e.sh) run this once the backend and the catalog are up, so the first runbook an
# on-call engineer opens is built and searchable. It asks the backend as the guest user, the way
# the TechDocs reader does (GET /api/techdocs/sync/...), so it builds with the backend's own
# generator and config (app-config.yaml techdocs.generator).
#
# Environment: TECHDOCS_WARMUP_TIMEOUT (seconds to wait for the catalog and then the index, in
# all; default 180: the collator runs every minute, search.collators.techdocs.schedule).

set -uo pipefail
BACKEND="${1:-http://localhost:7007}"
TIMEOUT="${TECHDOCS_WARMUP_TIMEOUT:-180}"

log() { echo "[techdocs] $*" >&2; }

deadline=$((SECONDS + TIMEOUT))

guest_token() {
  curl -fsS -X POST -H 'X-Requested-With: XMLHttpRequest' "$BACKEND/api/auth/guest/refresh" 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{process.stdout.write(JSON.parse(s).backstageIdentity.token)}catch{}})'
}

# namespace/kind/name of every entity with a backstage.io/techdocs-ref annotation
documented_entities() {
  curl -fsS -H "Authorization: Bearer $1" \
    "$BACKEND/api/catalog/entities/by-query?filter=metadata.annotations.backstage.io/techdocs-ref&fields=kind,metadata.namespace,metadata.name&limit=100" 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
      try {
        for (const e of JSON.parse(s).items ?? [])
          console.log(`${e.metadata.namespace ?? "default"}/${e.kind.toLowerCase()}/${e.metadata.name}`);
      } catch {}
    })'
}

# Right after the backend answers, the catalog may not have ingested the examples yet: wait.
token=""
refs=()
while :; do
  [ -n "$token" ] || token="$(guest_token)"
  if [ -n "$token" ]; then
    mapfile -t refs < <(documented_entities "$token")
    [ ${#refs[@]} -gt 0 ] && break
  fi
  if [ $SECONDS -ge $deadline ]; then
    if [ -z "$token" ]; then
      log "could not sign in as the guest user at $BACKEND within ${TIMEOUT} s"
    else
      log "the catalog has no entity with backstage.io/techdocs-ref after ${TIMEOUT} s"
    fi
    exit 1
  fi
  sleep 3
done
auth=(-H "Authorization: Bearer $token")

rc=0
for ref in "${refs[@]}"; do
  start=$SECONDS
  # An event stream of the build's log, ending with `event: finish` or `event: error`.
  out="$(curl -sSN --max-time 300 "${auth[@]}" -H 'Accept: text/event-stream' \
    "$BACKEND/api/techdocs/sync/$ref" 2>&1)"
  if grep -q '^event: finish' <<<"$out"; then
    log "built $ref ($((SECONDS - start)) s)"
  else
    log "could not build $ref:"
    grep -A1 '^event: error' <<<"$out" | tail -n 1 >&2
    tail -n 5 <<<"$out" >&2
    rc=1
  fi
done
[ $rc = 0 ] || exit 1

while :; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" \
    "$BACKEND/api/search/query?term=&types%5B0%5D=techdocs")"
  if [ "$status" = 200 ]; then
    log "search index for techdocs ready"
    exit 0
  fi
  if [ $SECONDS -ge $deadline ]; then
    log "the search backend has no techdocs index after ${TIMEOUT} s (last answer HTTP $status)"
    exit 1
  fi
  sleep 3
done
