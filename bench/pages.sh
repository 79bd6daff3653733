#!/usr/bin/env bash
# Page rendering benchmark: wrk against one node, in the same run, for
#   GET /                 the home page (upcoming events, rendered from mustache templates)
#   GET /web/events/{id}  an event page
#   GET /events/{id}      the JSON the API answers for the same event (the reference)
# and each page's rate as a share of the JSON GET (target >= 50%).
# Usage: bench/pages.sh [seconds=10] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-10}
CONNECTIONS=${2:-32}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
source bench/common.sh

API=http://127.0.0.1:18092

$BIN/boxoffice user add --data "$WORK/node" --email bench@venue.test --name Bench --password bench-password --role organizer >/dev/null
$BIN/boxoffice serve --data "$WORK/node" --port 18092 --secret bench-secret-0123456789 >/dev/null 2>"$WORK/serve.log" & PIDS+=($!)
wait_for $API/health
TOKEN=$(curl -sf -X POST $API/users/login -d '{"email":"bench@venue.test","password":"bench-password"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
# A home page of a typical evening's programme: twelve upcoming events.
for n in $(seq 12); do
  EVENT=$(curl -sf -X POST $API/events -H "Authorization: Bearer $TOKEN" \
    -d "{\"name\":\"Benchmark $n\",\"description\":\"An evening of music\",\"date\":\"2031-01-$(printf %02d "$n")T20:00:00Z\",\"location\":\"Loopback\",\"capacity\":500,\"price\":10,\"currency\":\"EUR\"}" \
    | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')
done
# The pages set a CSRF cookie on a first visit; a returning browser sends it back.
COOKIE="Cookie: boxoffice_csrf=BENCHMARKNONCE0123456789ABCDEFGH"
JSON_GET=$(rate "$API/events/$EVENT")
HOME_GET=$(rate -H "$COOKIE" "$API/")
PAGE_GET=$(rate -H "$COOKIE" "$API/web/events/$EVENT")

python3 - "$JSON_GET" "$HOME_GET" "$PAGE_GET" <<'PY'
import sys
json_get, home, page = map(float, sys.argv[1:4])
print(f"GET /events/{{id}} (JSON)    {json_get:10.0f} req/s")
print(f"GET / (home, 12 events)    {home:10.0f} req/s   {home / json_get:6.1%} of the JSON GET  (target >= 50%)")
print(f"GET /web/events/{{id}}       {page:10.0f} req/s   {page / json_get:6.1%} of the JSON GET  (target >= 50%)")
PY
