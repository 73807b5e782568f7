#!/usr/bin/env bash
# Install the Debian packages the tests or the demo need, only those missing.
#
#   scripts/system-packages.sh            # the packages in OPSDECK_TEST_DEB_PACKAGES below
#   scripts/system-packages.sh --demo     # the packages in OPSDECK_DEMO_DEB_PACKAGES (make start)
#   scripts/system-packages.sh PKG...     # these packages
#   . scripts/system-packages.sh          # defines opsdeck_ensure_deb_packages only
#
# As root: `apt-get update` once, then `apt-get install -y --no-install-recommends` of everything
# missing, in one command. Not root: prints the apt-get command to run and fails.
#
# The names are the release's own, the same on Debian 12 (bookworm) and 13 (trixie). PostgreSQL
# is the `postgresql` metapackage, which depends on the release's default server
# (postgresql-15 on 12, postgresql-17 on 13); it counts as installed when any server of 15 or
# newer is (scripts/lib/postgres-bin.bash), so a machine with postgresql-15 alone is left as it
# is. The scripts find the binaries by version, never as /usr/lib/postgresql/15/bin.

# What `make start` needs: the demo systems of scripts/demo/*.sh.
OPSDECK_DEMO_DEB_PACKAGES=(
  postgresql # scripts/demo/postgres.sh (and the tests: scripts/postgres-for-tests.sh)
  prometheus # scripts/demo/prometheus.sh; promtool check/test rules (ops-common), SLO evaluation (ops-backend)
  prometheus-alertmanager # scripts/demo/alertmanager.sh and alertmanager.test.ts
  mkdocs                  # TechDocs runIn local builds the runbooks (e2e-tests/oncall.test.ts, make start)
  mkdocs-material         # the runbooks' theme: its stylesheet is the one TechDocs keeps (examples/*/mkdocs.yml)
  curl                    # the demo scripts' readiness checks
  # scripts/demo/orders-db.sh, orders-api's Patroni cluster with pgBackRest and PgBouncer (and
  # the scaffolder module's integration tests: __testUtils__/pgBackRestRepo.ts,
  # patroniCluster.ts, testUtils/pgBouncer.ts).
  pgbackrest
  patroni
  python3-etcd # Patroni's etcd client; a Recommends of patroni, so not pulled in by --no-install-recommends
  etcd-server
  pgbouncer
  # scripts/demo/maintenance-db.sh, maintenance-api's MariaDB (and the MySQL drill's tests):
  # the server, the client with mariadb-dump and mariadb-check, and mariadb-backup.
  mariadb-server
  mariadb-client
  mariadb-backup
)

# The one list of Debian packages the tests need: the demo's (the e2e tests run it) and more.
OPSDECK_TEST_DEB_PACKAGES=(
  chromium          # Playwright drives /usr/bin/chromium; never `playwright install`
  kubernetes-client # kubectl, for the kubectl parity test (scaffolder module, kubectlParity.test.ts); any kubectl on PATH will do
  "${OPSDECK_DEMO_DEB_PACKAGES[@]}"
)

_opsdeck_packages_dir="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)"
# shellcheck source=lib/postgres-bin.bash
. "$_opsdeck_packages_dir/lib/postgres-bin.bash"

# _opsdeck_deb_present PKG: installed, or (postgresql) satisfied by a server already there.
_opsdeck_deb_present() {
  if [ "$1" = postgresql ] && opsdeck_pg_bin >/dev/null; then
    return 0
  fi
  # a kubectl from elsewhere (Kubernetes' own package) owns /usr/bin/kubectl: Debian's would clash
  if [ "$1" = kubernetes-client ] && command -v kubectl >/dev/null; then
    return 0
  fi
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# opsdeck_ensure_deb_packages PKG...: returns 0 when all are installed afterwards.
opsdeck_ensure_deb_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! _opsdeck_deb_present "$pkg"; then
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
  if [ "${1:-}" = --demo ]; then
    opsdeck_ensure_deb_packages "${OPSDECK_DEMO_DEB_PACKAGES[@]}" || exit 1
  elif [ $# -gt 0 ]; then
    opsdeck_ensure_deb_packages "$@" || exit 1
  else
    opsdeck_ensure_deb_packages "${OPSDECK_TEST_DEB_PACKAGES[@]}" || exit 1
  fi
fi
