#!/usr/bin/env bash
# Store benchmark: durable puts/s for 1, 16 and 256 concurrent writers, recovery of 1,000,000
# documents (journal replay, then snapshot), peak RSS. Release build (CONFIG=debug for a smoke
# run); extra arguments go to `boxoffice-bench store` (see --help), e.g. `bench/store.sh --seconds 5`.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-release}
swift build -c "$CONFIG" --product boxoffice-bench
exec ".build/$CONFIG/boxoffice-bench" store "$@"
