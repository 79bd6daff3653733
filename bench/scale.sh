#!/usr/bin/env bash
# Seats at many venues: one hub node holding every seat of an escrow event, N venue nodes (default
# 50) that each run `serve --peer <hub> --sync-interval 1`, 20 walk-in buyers per venue and half as
# many seats as buyers in all. Prints the time to sell out and the share sold within 60 s, checks
# that no node counts more sold than the capacity once synced, and reports RSS and idle CPU per node.
# Usage: bench/scale.sh [venues=50] [seconds=60]
set -euo pipefail
cd "$(dirname "$0")/.."
VENUES=${1:-50}
LIMIT=${2:-60}
BUYERS=20
SEATS=$((VENUES * BUYERS / 2))
SECRET=bench-scale-secret-0123456789
source bench/common.sh
ulimit -n 65536 2>/dev/null || true
port() { echo $((18600 + $1)); }

$BIN/boxoffice user add --data "$WORK/hub" --node-id hub --email org@hub.test --name Org --password organizer-pw --role organizer >/dev/null
$BIN/boxoffice serve --data "$WORK/hub" --port "$(port 0)" --secret "$SECRET" >/dev/null 2>"$WORK/hub.log" & PIDS+=($!)
HUB=http://127.0.0.1:$(port 0)
wait_for $HUB/health
login() { curl -sf -X POST "$1/users/login" -d '{"email":"org@hub.test","password":"organizer-pw"}' | json token; }
EVENT=$(curl -sf -X POST $HUB/events -H "Authorization: Bearer $(login $HUB)" \
  -d "{\"name\":\"Scale\",\"date\":\"2031-01-01T20:00:00Z\",\"location\":\"Everywhere\",\"capacity\":$SEATS,\"price\":10,\"currency\":\"EUR\",\"salesPolicy\":\"escrow\"}" | json id)
for i in $(seq "$VENUES"); do
  $BIN/boxoffice serve --data "$WORK/v$i" --node-id "venue-$i" --port "$(port "$i")" --secret "$SECRET" --peer $HUB --sync-interval 1 \
    >/dev/null 2>"$WORK/v$i.log" & PIDS+=($!)
done
# Each venue has the organizer's account and the event by its own sync; its token is its own.
VENUE_LIST="["
for i in $(seq "$VENUES"); do
  URL=http://127.0.0.1:$(port "$i")
  wait_for "$URL/health"
  for _ in $(seq 600); do curl -sf "$URL/events/$EVENT" >/dev/null && TOKEN=$(login "$URL" 2>/dev/null) && break; sleep 0.1; done
  VENUE_LIST+="[$(port "$i"),\"$TOKEN\"],"
done
VENUE_LIST="${VENUE_LIST%,}]"
echo "$VENUES venues and a hub up; $SEATS seats at the hub, $((VENUES * BUYERS)) buyers"
RESULT=$(python3 bench/scale_buyers.py "$VENUE_LIST" "$EVENT" "$BUYERS" "$LIMIT")

# Converged: every node's count, once the syncs settle (at most 30 s).
for _ in $(seq 60); do
  COUNTS=$(for i in $(seq 0 "$VENUES"); do curl -sf "http://127.0.0.1:$(port "$i")/events/$EVENT" | python3 -c 'import sys,json; e=json.load(sys.stdin); print(e["sold"], e["remainingHere"])'; done)
  [ "$(echo "$COUNTS" | awk '{print $1}' | sort -u | wc -l)" = 1 ] && break
  sleep 0.5
done
RSS=$(for pid in "${PIDS[@]}"; do awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null; done | awk '{s+=$1; n++} END {printf "%.1f", s/n/1024}')
TICKS=$(getconf CLK_TCK)
cpu() { for pid in "${PIDS[@]}"; do awk '{print $14+$15}' /proc/$pid/stat 2>/dev/null; done | awk '{s+=$1} END {print s}'; }
BEFORE=$(cpu); sleep 10; AFTER=$(cpu)
python3 - "$RESULT" "$COUNTS" "$SEATS" "$LIMIT" "$RSS" "$BEFORE" "$AFTER" "$TICKS" "$((VENUES + 1))" <<'PY'
import json, sys
result, counts, seats, limit = json.loads(sys.argv[1]), sys.argv[2].split("\n"), int(sys.argv[3]), float(sys.argv[4])
rss, before, after, ticks, nodes = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9])
sold = [int(line.split()[0]) for line in counts]
stranded = sum(int(line.split()[1]) for line in counts[1:])
print(f"sold {result['sold']} of {seats} seats ({result['sold'] / seats:.1%}) in {result['seconds']} s (limit {limit:.0f} s); {result['refused']} tries refused")
print(f"every node counts sold = {sorted(set(sold))}; oversold: {'NO' if max(sold) <= seats else 'YES'}; unsold seats left at venues: {stranded}")
print(f"RSS per node {rss:.1f} MiB; idle CPU, all {nodes} nodes: {(after - before) / ticks / 10:.1%} of one core")
if max(sold) > seats:
    sys.exit(1)
PY
