# Shared by the bench scripts (source it): a release build, a scratch directory removed on exit
# together with every process started into PIDS, and waiting for a URL to answer.
swift build -c release --product boxoffice
swift build -c release --product boxoffice-bench
BIN=.build/release
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
# wait_for URL: until it answers, at most 30 s.
wait_for() { for _ in $(seq 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
