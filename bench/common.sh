# Shared by the bench scripts (source it): a build of the boxoffice executables (release unless
# CONFIG=debug is set before sourcing), a scratch directory removed on exit together with every
# process started into PIDS, and small helpers.
CONFIG=${CONFIG:-release}
swift build -c "$CONFIG" --product boxoffice
swift build -c "$CONFIG" --product boxoffice-bench
BIN=.build/$CONFIG
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
# wait_for URL: until it answers, at most 30 s.
wait_for() { for _ in $(seq 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
# json FIELD: that top-level field of the JSON on stdin.
json() { python3 -c "import sys,json; print(json.load(sys.stdin)[\"$1\"])"; }
# rate ARGS…: wrk's requests per second (SECONDS_EACH and CONNECTIONS set by the caller).
rate() { wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
