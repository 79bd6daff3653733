#!/usr/bin/env bash
# Sync benchmark: node B pulls N tickets (default 100,000) from node A over HTTP with libcurl
# and applies them durably; right after each pull, curl fetches the same pages from A, so every
# run gives the pull's rate as a share of curl's. RUNS pulls (default 1), each into a fresh B,
# show how consistent the rate is. Then A gets 10 more changes and B syncs again: the
# incremental cost.
# Usage: bench/sync.sh [documents=100000] [runs=1]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
RUNS=${2:-1}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "runs must be a whole number, at least 1" >&2; exit 2; }
SECRET=bench-sync-secret-0123456789
source bench/common.sh

$BIN/boxoffice-bench seed --data "$WORK/a" --node-id venue-a --documents "$N" >/dev/null
$BIN/boxoffice serve --data "$WORK/a" --port 18301 --secret "$SECRET" >/dev/null 2>&1 & PIDS+=($!)
wait_for http://127.0.0.1:18301/health
PAGES=$(( (N + 999) / 1000 + 1 ))

for run in $(seq "$RUNS"); do
  # B: a node started once (its key and roster record), then stopped; the sync applies straight
  # into its store, durably, and enrolls B with A on the way (the cluster secret never sent).
  rm -rf "$WORK/b"
  $BIN/boxoffice serve --data "$WORK/b" --node-id "venue-b$run" --port 18302 --secret "$SECRET" >/dev/null 2>&1 & PIDS+=($!)
  wait_for http://127.0.0.1:18302/health
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
  unset 'PIDS[-1]'
  FULL=$($BIN/boxoffice sync http://127.0.0.1:18301 --data "$WORK/b" --secret "$SECRET" --pull-only | tail -1)

  # curl alone: every page of A's feed on one keep-alive connection, each request signed with B's
  # key as a peer's must be (sync-spec 7.3).
  $BIN/boxoffice-bench signed-pages --data "$WORK/b" --url http://127.0.0.1:18301 --pages "$PAGES" > "$WORK/pages.curl"
  CURL_START=$(date +%s.%N)
  BYTES=$(curl -K "$WORK/pages.curl" | awk '{s+=$1} END {print s}')
  CURL_END=$(date +%s.%N)
  echo "$FULL|$BYTES|$CURL_START|$CURL_END" >> "$WORK/runs"
done

# Ten more changes on A, then an incremental sync.
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
$BIN/boxoffice-bench seed --data "$WORK/a" --documents 10 --prefix extra >/dev/null
$BIN/boxoffice serve --data "$WORK/a" --port 18301 --secret "$SECRET" >/dev/null 2>&1 & PIDS+=($!)
wait_for http://127.0.0.1:18301/health
INCREMENTAL=$($BIN/boxoffice sync http://127.0.0.1:18301 --data "$WORK/b" --secret "$SECRET" --pull-only | tail -1)

python3 - "$N" "$WORK/runs" "$INCREMENTAL" <<'PY'
import re, statistics, sys
n, runs, incremental = int(sys.argv[1]), open(sys.argv[2]).read().splitlines(), sys.argv[3]
rates, shares = [], []
for number, line in enumerate(runs, 1):
    full, size, start, end = line.split("|")
    curl_seconds = float(end) - float(start)
    seconds = float(re.search(r"in ([0-9.]+) s", full).group(1))
    pulled = int(re.search(r"pulled (\d+)", full).group(1))
    rate, curl = pulled / seconds, n / curl_seconds
    rates.append(rate)
    shares.append(rate / curl)
    print(f"run {number}: curl fetch of A's feed {int(size) / curl_seconds / 1e6:6.1f} MB/s {curl:10.0f} versions/s ({int(size) / 1e6:.1f} MB in {curl_seconds:.2f} s)")
    print(f"run {number}: B pulls from A, durable  {rate:10.0f} versions/s ({pulled} in {seconds:.2f} s; target >= 100,000/s), {rate / curl:.1%} of the curl rate")
print(f"durable pull over {len(rates)} run(s): min {min(rates):.0f}, median {statistics.median(rates):.0f}, "
      f"max {max(rates):.0f} versions/s; >= 100,000 in {sum(r >= 100_000 for r in rates)} of {len(rates)}; "
      f"{min(shares):.1%} to {max(shares):.1%} of the curl rate")
inc = float(re.search(r"in ([0-9.]+) s", incremental).group(1))
print(f"incremental sync         {inc * 1000:8.1f} ms for: {incremental}")
PY
