# Boxoffice: `make serve` starts a node, `make test` runs every test and every bench script in
# its smoke mode. Both install what a fresh Debian machine is missing (libcurl's headers,
# pkg-config; for the tests also chromium, playwright, wrk, tcpdump and postgresql) before building.

SWIFT ?= swift
DATA ?= data/node
HOST ?= 127.0.0.1
PORT ?= 8080
# A venue runs the optimised build; `make serve CONFIG=debug` builds faster for development.
CONFIG ?= release
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test test-suites bootstrap-postgres lint format build bootstrap bootstrap-browser bootstrap-bench bench-store fuzz-api clean

serve: bootstrap
	$(SWIFT) build -c $(CONFIG) --product boxoffice
	.build/$(CONFIG)/boxoffice serve --data $(DATA) --host $(HOST) --port $(PORT)

test: bootstrap-browser bootstrap-bench bootstrap-postgres lint
	Tests/postgres/with-cluster.sh $(MAKE) --no-print-directory test-suites

# What `make test` runs beside its throwaway PostgreSQL cluster (BOXOFFICE_TEST_POSTGRES): every
# suite on the file store; then, as a pass of its own, the store contract, the API, rules and web
# suites with every store on PostgreSQL and the hub's suites; and every bench script in its smoke
# mode. (In one pass, the long CPU-bound suites starved the database clients' connection pools.)
POSTGRES_SUITES := BoxofficeServerTests|StoreContractTests|StoreSeamTests|MergeIntoStoreTests|PostgresStoreTests|HubTests
test-suites:
	$(SWIFT) test --skip 'PostgresStoreTests|HubTests'
	BOXOFFICE_TEST_STORE=postgresql $(SWIFT) test --skip-build --filter '$(POSTGRES_SUITES)'
	bench/smoke.sh

# The code keeps Hummingbird's swift-format configuration (.swift-format); `make format` applies it.
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

build: bootstrap
	$(SWIFT) build

bench-store: bootstrap
	bench/store.sh

# Schemathesis against a live node (needs PyPI once); not part of `make test`.
fuzz-api: bootstrap
	Tests/schemathesis/run.sh

bootstrap:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is required: https://www.swift.org/install/linux/" >&2; exit 1; }
	@if ! pkg-config --exists libcurl 2>/dev/null; then \
		echo "Installing libcurl4-openssl-dev and pkg-config with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libcurl4-openssl-dev pkg-config; \
	fi

# The browser tests render pages in Debian's headless Chromium, driven by Playwright from PyPI
# (pointed at that chromium: Playwright's own browser download is never used).
bootstrap-browser: bootstrap
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "Installing chromium with apt-get (for the browser tests)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	fi
	@if ! python3 -c "import playwright" >/dev/null 2>&1; then \
		echo "Installing playwright with pip (drives chromium in the browser tests)"; \
		python3 -m pip install --quiet "playwright>=1.40" 2>/dev/null || \
		python3 -m pip install --quiet --user --break-system-packages "playwright>=1.40"; \
	fi

# The bench scripts load a node with wrk and capture loopback traffic with tcpdump.
bootstrap-bench: bootstrap
	@if ! command -v wrk >/dev/null 2>&1 || ! command -v tcpdump >/dev/null 2>&1; then \
		echo "Installing wrk and tcpdump with apt-get (for the bench scripts' smoke run)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk tcpdump; \
	fi

# The PostgreSQL store's tests run on a throwaway cluster of Debian's postgresql
# (Tests/postgres/with-cluster.sh), started for the run and removed after it.
bootstrap-postgres: bootstrap
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then \
		echo "Installing postgresql with apt-get (the tests run a throwaway cluster)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; \
	fi

clean:
	rm -rf .build
