#!/usr/bin/env bash
# Store benchmark: durable puts/s for 1, 16 and 256 concurrent writers, recovery of 1,000,000
# documents (journal replay, then snapshot), peak RSS. Release build; extra arguments go to
# `boxoffice-bench store` (see --help), e.g. `bench/store.sh --seconds 5`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product boxoffice-bench
exec .build/release/boxoffice-bench store "$@"
