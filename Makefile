# OpsDeck: the two commands are `make start` and `make test`.
#
# Each target bootstraps what it needs (scripts/bootstrap.sh): Node 22 in .toolchain/ when the
# machine's node is not 22, the vendored yarn, and `yarn install` only when yarn.lock or a
# package.json changed. `make test` and `make start` also install the Debian packages they
# need (scripts/system-packages.sh: as root, else the apt-get line is printed); `make test`
# ends with the line `N passed, N failed`.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
BOOTSTRAP := scripts/bootstrap.sh

.DEFAULT_GOAL := help
.PHONY: help start test install packages bootstrap tsc lint prettier api-reports \
	api-reports-check scripts jest e2e tarballs clean distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

start: ## Debian packages, a fresh demo (.run/demo), the app on :3000 and the backend on :7007
	@scripts/start.sh

test: ## every check, counted: tsc, lint, prettier, API reports, scripts' tests, Jest, Playwright
	@scripts/test.sh

bootstrap: ## Node 22 and yarn only
	@$(BOOTSTRAP) --no-install

install: ## Node 22, yarn and node_modules (skipped when up to date)
	@$(BOOTSTRAP)

packages: ## the Debian packages the tests need (chromium and the demo's)
	@scripts/system-packages.sh

# Single steps of `make test`, e.g. `make jest` or `make e2e`.
tsc lint prettier scripts jest e2e tarballs:
	@scripts/test.sh $@

api-reports: ## refresh each plugin's report.api.md after a public API change
	@$(BOOTSTRAP) -- yarn build:api-reports

api-reports-check: ## fail when a plugin's public API differs from its report.api.md
	@scripts/test.sh api-reports

clean: ## remove build output, test logs and caches (keeps node_modules and .toolchain)
	rm -rf dist-types .run e2e-test-report node_modules/.cache
	rm -rf packages/*/dist plugins/*/dist

distclean: clean ## also remove node_modules and the Node 22 toolchain
	rm -rf node_modules packages/*/node_modules plugins/*/node_modules .toolchain
