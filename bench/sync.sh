#!/usr/bin/env bash
# Sync benchmark: node B pulls N tickets (default 100,000) from node A over HTTP with libcurl
# and applies them durably; for context, curl fetches the same pages from A in the same run.
# Then A gets 10 more changes and B syncs again: the incremental cost.
# Usage: bench/sync.sh [documents=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
SECRET=bench-sync-secret-0123456789
source bench/common.sh

$BIN/boxoffice-bench seed --data "$WORK/a" --node-id venue-a --documents "$N" >/dev/null
$BIN/boxoffice serve --data "$WORK/a" --port 18301 --secret "$SECRET" >/dev/null 2>&1 & PIDS+=($!)
wait_for http://127.0.0.1:18301/health

# B: a node started once (its key and roster record), then stopped; the sync applies straight
# into its store, durably, and enrolls B with A on the way (the cluster secret never sent).
$BIN/boxoffice serve --data "$WORK/b" --node-id venue-b --port 18302 --secret "$SECRET" >/dev/null 2>&1 & PIDS+=($!)
wait_for http://127.0.0.1:18302/health
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
FULL=$($BIN/boxoffice sync http://127.0.0.1:18301 --data "$WORK/b" --secret "$SECRET" --pull-only | tail -1)

# curl alone: every page of A's feed on one keep-alive connection, each request signed with B's
# key as a peer's must be (sync-spec 7.3).
PAGES=$(( (N + 999) / 1000 + 1 ))
$BIN/boxoffice-bench signed-pages --data "$WORK/b" --url http://127.0.0.1:18301 --pages "$PAGES" > "$WORK/pages.curl"
CURL_START=$(date +%s.%N)
BYTES=$(curl -K "$WORK/pages.curl" | awk '{s+=$1} END {print s}')
CURL_END=$(date +%s.%N)

# Ten more changes on A, then an incremental sync.
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
$BIN/boxoffice-bench seed --data "$WORK/a" --documents 10 --prefix extra >/dev/null
$BIN/boxoffice serve --data "$WORK/a" --port 18301 --secret "$SECRET" >/dev/null 2>&1 & PIDS+=($!)
wait_for http://127.0.0.1:18301/health
INCREMENTAL=$($BIN/boxoffice sync http://127.0.0.1:18301 --data "$WORK/b" --secret "$SECRET" --pull-only | tail -1)

python3 - "$N" "$BYTES" "$CURL_START" "$CURL_END" "$FULL" "$INCREMENTAL" <<'PY'
import re, sys
n, size = int(sys.argv[1]), int(sys.argv[2])
curl_seconds = float(sys.argv[4]) - float(sys.argv[3])
full, incremental = sys.argv[5], sys.argv[6]
seconds = float(re.search(r"in ([0-9.]+) s", full).group(1))
pulled = int(re.search(r"pulled (\d+)", full).group(1))
print(f"curl fetch of A's feed   {size / curl_seconds / 1e6:8.1f} MB/s   {n / curl_seconds:10.0f} versions/s ({size / 1e6:.1f} MB in {curl_seconds:.2f} s)")
print(f"B pulls from A, durable  {pulled / seconds:10.0f} versions/s ({pulled} in {seconds:.2f} s; target >= 100,000/s)")
print(f"                         {(pulled / seconds) / (n / curl_seconds):8.1%} of the curl rate")
inc = float(re.search(r"in ([0-9.]+) s", incremental).group(1))
print(f"incremental sync         {inc * 1000:8.1f} ms for: {incremental}")
PY
