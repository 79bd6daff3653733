#!/usr/bin/env bash
# Hub benchmark (issue 17), in one run: the same node API on the file store and on PostgreSQL
# with one and with two processes of one node, then a venue pulling N versions from the hub.
#   durable POST /tickets and GET /events/{id}: file store, hub x1, hub x2 (wrk, CONNECTIONS)
#   the hub takes N tickets pushed by a venue (boxoffice sync --push-only: every one merged)
#   a venue pulls them from the hub durably, beside curl fetching the same pages
# PostgreSQL is the throwaway cluster of the tests (Tests/postgres/with-cluster.sh, fsync on),
# on the same disk as the file store's data directory.
# Usage: bench/hub.sh [seconds=10] [connections=16] [documents=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BOXOFFICE_TEST_POSTGRES:-}" ]; then exec Tests/postgres/with-cluster.sh bench/hub.sh "$@"; fi
SECONDS_EACH=${1:-10}
CONNECTIONS=${2:-16}
N=${3:-100000}
SECRET=bench-hub-secret-0123456789
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
source bench/common.sh
DATABASE=bench_hub_$$
psql "$BOXOFFICE_TEST_POSTGRES" -qAtX -c "CREATE DATABASE $DATABASE"
trap 'cleanup; psql "$BOXOFFICE_TEST_POSTGRES" -qAtX -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)"' EXIT
HUB="${BOXOFFICE_TEST_POSTGRES%/*}/$DATABASE"
ORGANIZER=(--email bench@venue.test --name Bench --password bench-password --role organizer)

# on URL: an organizer's token and an event of a million seats there; sets TOKEN and EVENT.
on() {
  wait_for "$1/health"
  TOKEN=$(curl -sf -X POST "$1/users/login" -d '{"email":"bench@venue.test","password":"bench-password"}' | json token)
  EVENT=$(curl -sf -X POST "$1/events" -H "Authorization: Bearer $TOKEN" \
    -d '{"name":"Benchmark","date":"2031-01-01T20:00:00Z","location":"Loopback","capacity":1000000,"price":10,"currency":"EUR"}' | json id)
}
# both PATH [LUA]: wrk on both hub processes at once, half the connections each; the summed rate.
both() {
  local lua=() waits=()
  if [ -n "${2:-}" ]; then lua=(-s "$2"); fi
  for port in 18402 18403; do
    wrk -t1 -c$((CONNECTIONS / 2)) -d"${SECONDS_EACH}s" "${lua[@]}" "http://127.0.0.1:$port$1" -- "$TOKEN" "$EVENT" >"$WORK/wrk.$port" &
    waits+=($!)
  done
  wait "${waits[@]}"
  cat "$WORK"/wrk.18402 "$WORK"/wrk.18403 | awk '/Requests\/sec/ {s += $2} END {print s}'
}

# The file store: a venue node.
$BIN/boxoffice user add --data "$WORK/file" "${ORGANIZER[@]}" >/dev/null
$BIN/boxoffice serve --data "$WORK/file" --port 18401 --secret "$SECRET" >/dev/null 2>>"$WORK/serve.log" & PIDS+=($!)
on http://127.0.0.1:18401
FILE_GET=$(rate "http://127.0.0.1:18401/events/$EVENT")
FILE_POST=$(rate -s bench/post-tickets.lua http://127.0.0.1:18401/tickets -- "$TOKEN" "$EVENT")
kill "${PIDS[-1]}"

# The hub: one process, then a second one on the same database.
$BIN/boxoffice user add --store "$HUB" --node-id hub "${ORGANIZER[@]}" >/dev/null 2>&1
$BIN/boxoffice serve --store "$HUB" --port 18402 --secret "$SECRET" >/dev/null 2>>"$WORK/serve.log" & PIDS+=($!)
on http://127.0.0.1:18402
HUB1_GET=$(rate "http://127.0.0.1:18402/events/$EVENT")
HUB1_POST=$(rate -s bench/post-tickets.lua http://127.0.0.1:18402/tickets -- "$TOKEN" "$EVENT")
$BIN/boxoffice serve --store "$HUB" --port 18403 --secret "$SECRET" >/dev/null 2>>"$WORK/serve.log" & PIDS+=($!)
wait_for http://127.0.0.1:18403/health
HUB2_GET=$(both "/events/$EVENT")
HUB2_POST=$(both /tickets bench/post-tickets.lua)

# A venue pushes N tickets into the hub; another venue, started once for its key, pulls them.
$BIN/boxoffice-bench seed --data "$WORK/a" --node-id venue-a --documents "$N" >/dev/null
PUSH=$($BIN/boxoffice sync http://127.0.0.1:18402 --data "$WORK/a" --secret "$SECRET" --push-only | tail -1)
$BIN/boxoffice serve --data "$WORK/b" --node-id venue-b --port 18404 --secret "$SECRET" >/dev/null 2>&1 & PIDS+=($!)
wait_for http://127.0.0.1:18404/health
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
PULL=$($BIN/boxoffice sync http://127.0.0.1:18403 --data "$WORK/b" --secret "$SECRET" --pull-only | tail -1)
PAGES=$(( $(curl -sf http://127.0.0.1:18403/node | json lastSeq) / 1000 + 1 ))
$BIN/boxoffice-bench signed-pages --data "$WORK/b" --url http://127.0.0.1:18403 --pages "$PAGES" >"$WORK/pages.curl"
CURL_START=$(date +%s.%N)
BYTES=$(curl -K "$WORK/pages.curl" | awk '{s += $1} END {print s}')
CURL_END=$(date +%s.%N)
# Counted at the end of the run, seconds after wrk stopped: the two must agree.
SOLD=$(curl -sf "http://127.0.0.1:18403/events/$EVENT" | json sold)
COUNTED=$(psql "$HUB" -qAtX -c "SELECT count(*) FROM boxoffice_documents WHERE collection = 'tickets' AND body->>'eventId' = '$EVENT'")

python3 - "$FILE_GET" "$FILE_POST" "$HUB1_GET" "$HUB1_POST" "$HUB2_GET" "$HUB2_POST" "$SOLD" "$COUNTED" "$PUSH" "$PULL" \
  "$BYTES" "$CURL_START" "$CURL_END" "$CONNECTIONS" <<'PY'
import re, sys
file_get, file_post, hub1_get, hub1_post, hub2_get, hub2_post = map(float, sys.argv[1:7])
sold, counted, push, pull = sys.argv[7:11]
size, curl_seconds, connections = int(sys.argv[11]), float(sys.argv[13]) - float(sys.argv[12]), sys.argv[14]
print(f"wrk -c{connections}               GET /events/{{id}}        durable POST /tickets")
print(f"file store            {file_get:10.0f} req/s          {file_post:10.0f} sales/s")
print(f"hub on PostgreSQL x1  {hub1_get:10.0f} req/s {hub1_get / file_get:5.0%}    {hub1_post:10.0f} sales/s {hub1_post / file_post:5.0%} of the file store")
print(f"hub on PostgreSQL x2  {hub2_get:10.0f} req/s {hub2_get / file_get:5.0%}    {hub2_post:10.0f} sales/s {hub2_post / file_post:5.0%} (two processes, one node)")
print(f"tickets of the event the hub shows sold: {sold}; its ticket rows in the database: {counted}")
def moved(line, what):
    return int(re.search(what + r" (\d+)", line).group(1)), float(re.search(r"in ([0-9.]+) s", line).group(1))
pushed, push_seconds = moved(push, "pushed")
pulled, pull_seconds = moved(pull, "pulled")
print(f"venue pushes into the hub  {pushed / push_seconds:10.0f} versions/s ({pushed} in {push_seconds:.2f} s, merged durably in PostgreSQL)")
versions = pulled
print(f"curl fetch of the hub's feed {size / curl_seconds / 1e6:6.1f} MB/s {versions / curl_seconds:10.0f} versions/s ({size / 1e6:.1f} MB in {curl_seconds:.2f} s)")
print(f"venue pulls from the hub   {pulled / pull_seconds:10.0f} versions/s ({pulled} in {pull_seconds:.2f} s, durable; Kinto's _since pull here: 48,000-49,000 records/s)")
print(f"                           {(pulled / pull_seconds) / (versions / curl_seconds):8.1%} of the curl rate")
# The one check here: the count the hub serves is the rows it holds (no sale lost or counted twice).
sys.exit(0 if sold == counted else f"the sold count {sold} differs from the {counted} ticket rows")
PY
