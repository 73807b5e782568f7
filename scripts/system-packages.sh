#!/usr/bin/env bash
# Install the Debian packages the tests need, only those missing.
#
#   scripts/system-packages.sh            # the packages in OPSDECK_TEST_DEB_PACKAGES below
#   scripts/system-packages.sh PKG...     # these packages
#   . scripts/system-packages.sh          # defines opsdeck_ensure_deb_packages only
#
# As root: `apt-get update` once, then `apt-get install -y --no-install-recommends` of what is
# missing. Not root: prints the apt-get command to run and fails.

# The one list of Debian packages the tests need. Add to it (prometheus,
# prometheus-alertmanager, ...) when a test needs more.
OPSDECK_TEST_DEB_PACKAGES=(
  chromium      # Playwright drives /usr/bin/chromium; never `playwright install`
  postgresql-15 # scripts/postgres-for-tests.sh: /usr/lib/postgresql/15/bin for the store tests
  prometheus    # promtool check/test rules (ops-common), SLO evaluation on a real Prometheus (ops-backend), scripts/demo/prometheus.sh
  prometheus-alertmanager # alertmanager.test.ts and scripts/demo/alertmanager.sh
  mkdocs # TechDocs runIn local builds the runbooks (e2e-tests/oncall.test.ts, make start)
)

# opsdeck_ensure_deb_packages PKG...: returns 0 when all are installed afterwards.
opsdeck_ensure_deb_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "[packages] installed: $*"
    return 0
  fi
  local cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then
    echo "[packages] missing Debian packages: ${missing[*]}" >&2
    echo "[packages] run as root:  apt-get update && $cmd" >&2
    echo "[packages]   or:         sudo apt-get update && sudo $cmd" >&2
    return 1
  fi
  echo "[packages] installing ${missing[*]}"
  local start=$SECONDS
  if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq; then
    echo "[packages] apt-get update failed" >&2
    return 1
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    echo "[packages] $cmd failed" >&2
    return 1
  fi
  echo "[packages] installed ${missing[*]} in $((SECONDS - start)) s"
}

if [ -z "${BASH_SOURCE[0]:-}" ] || [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  if [ $# -gt 0 ]; then
    opsdeck_ensure_deb_packages "$@" || exit 1
  else
    opsdeck_ensure_deb_packages "${OPSDECK_TEST_DEB_PACKAGES[@]}" || exit 1
  fi
fi
