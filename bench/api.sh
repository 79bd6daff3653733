#!/usr/bin/env bash
# API benchmark: wrk against a bare Hummingbird server and a Boxoffice node in the same run,
# so every figure is a ratio to the ceiling on this machine right now.
#   GET  /events/{id}  vs  GET /      (hello world)
#   POST /tickets      vs  POST /echo (Codable echo of a small JSON body)
# POST /tickets is durable (fdatasync before 201) and authenticated (JWT + user lookup); it is
# measured once more with the data directory on tmpfs, to show how much of its cost is the disk.
# The two POST runs also report the CPU per request by thread group (bench/cpu-per-request.py).
# Usage: bench/api.sh [seconds=10] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-10}
CONNECTIONS=${2:-32}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
source bench/common.sh
# budget PID NAME ARGS…: like rate, and writes where the CPU went per request to $WORK/NAME.json.
budget() { local pid=$1 name=$2; shift 2; python3 bench/cpu-per-request.py "$pid" "$WORK/$name.json" -- wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" "$@" | tail -1; }

$BIN/boxoffice-bench hello --port 18090 >/dev/null & PIDS+=($!)
wait_for http://127.0.0.1:18090/
HELLO_GET=$(rate http://127.0.0.1:18090/)
HELLO_POST=$(budget "${PIDS[0]}" echo -s bench/post-echo.lua http://127.0.0.1:18090/echo)
kill "${PIDS[0]}"

# start_node DATA PORT: a node on DATA with an organizer and one big event; sets TOKEN and EVENT.
start_node() {
  $BIN/boxoffice user add --data "$1" --email bench@venue.test --name Bench --password bench-password --role organizer >/dev/null
  $BIN/boxoffice serve --data "$1" --port "$2" --secret bench-secret-0123456789 >/dev/null 2>>"$WORK/serve.log" & PIDS+=($!)
  wait_for "http://127.0.0.1:$2/health"
  TOKEN=$(curl -sf -X POST "http://127.0.0.1:$2/users/login" -d '{"email":"bench@venue.test","password":"bench-password"}' | json token)
  EVENT=$(curl -sf -X POST "http://127.0.0.1:$2/events" -H "Authorization: Bearer $TOKEN" \
    -d '{"name":"Benchmark","date":"2031-01-01T20:00:00Z","location":"Loopback","capacity":1000000,"price":10,"currency":"EUR"}' | json id)
}

start_node "$WORK/node" 18091
EVENT_GET=$(rate "http://127.0.0.1:18091/events/$EVENT")
TICKETS_POST=$(budget "${PIDS[-1]}" sale -s bench/post-tickets.lua http://127.0.0.1:18091/tickets -- "$TOKEN" "$EVENT")
SOLD=$(curl -sf "http://127.0.0.1:18091/events/$EVENT" | json sold)
kill "${PIDS[-1]}"

# Diagnostic, not a durable figure: the same sale with the data directory in memory (tmpfs, where
# fsync returns at once and files cost no disk) shows how much of the gap is the disk.
MEMORY=$(mktemp -d -p /dev/shm)
trap 'cleanup; rm -rf "$MEMORY"' EXIT
start_node "$MEMORY/node" 18092
TICKETS_POST_MEMORY=$(rate -s bench/post-tickets.lua http://127.0.0.1:18092/tickets -- "$TOKEN" "$EVENT")

python3 - "$HELLO_GET" "$HELLO_POST" "$EVENT_GET" "$TICKETS_POST" "$SOLD" "$TICKETS_POST_MEMORY" "$WORK" <<'PY'
import json, sys
hello_get, hello_post, event_get, tickets_post = map(float, sys.argv[1:5])
in_memory = float(sys.argv[6])
print(f"hello GET /            {hello_get:10.0f} req/s")
print(f"hello POST /echo       {hello_post:10.0f} req/s")
print(f"GET /events/{{id}}       {event_get:10.0f} req/s   {event_get / hello_get:6.1%} of hello GET  (target >= 60%)")
print(f"POST /tickets          {tickets_post:10.0f} req/s   {tickets_post / hello_post:6.1%} of echo POST (target >= 50%)")
print(f"tickets sold durably   {sys.argv[5]}")
print(f"POST /tickets, tmpfs   {in_memory:10.0f} req/s   {in_memory / hello_post:6.1%} of echo POST (diagnostic: data directory in memory, not durable)")
echo, sale = (json.load(open(f"{sys.argv[7]}/{name}.json"))["cpu_microseconds_per_request"] for name in ("echo", "sale"))
print("\nCPU per request, microseconds (all cores; when the CPU is the limit, req/s is about 2 cores / total)")
print(f"{'':52s} {'echo POST':>10s} {'POST /tickets':>14s}")
for part in [k for k in sale if k != "total"] + ["total"]:
    print(f"{part:52s} {echo.get(part, 0):10.1f} {sale[part]:14.1f}")
PY
