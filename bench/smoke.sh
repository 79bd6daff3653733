#!/usr/bin/env bash
# Every bench script once, in seconds, on the debug build: so that none breaks unnoticed. No figure
# is asserted (a debug build on a busy CI machine says nothing about speed); a script that fails
# fails the run. `make test` runs this after the tests. Usage: bench/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIG=debug
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
run() {
  local started=$SECONDS
  if "$@" >"$OUT/log" 2>&1; then
    echo "bench smoke: $* ok ($((SECONDS - started)) s)"
  else
    echo "bench smoke: $* FAILED; its output:" >&2
    tail -40 "$OUT/log" >&2
    exit 1
  fi
}
run bench/store.sh --seconds 0.2 --writers 1 4 --recovery-documents 1000
run bench/api.sh 1 4
run bench/pages.sh 1 4
run bench/sync.sh 2000 2
run bench/hub.sh 1 4 2000
run bench/scale.sh 3 10
run bench/idle-connections.sh 200
run bench/capture.sh
run bench/screenshots.sh "$OUT/screenshots"
run bench/screenshot-conflicts.sh "$OUT/screenshots"
