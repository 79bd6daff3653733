#!/usr/bin/env bash
# 20,000 half-open connections (two client processes of 10,000) against one node, then /health
# timed 20 times while they are in place. The node keeps at most --max-connections of them
# (10,000 by default, less under a lower descriptor limit) and closes the longest-waiting past
# the cap; the figure that matters is that /health still answers, and how fast.
# Usage: bench/idle-connections.sh [connections=20000]   (CONFIG=debug for a quicker build)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
TOTAL=${1:-20000}
PORT=18103
# The head timeout is long here so that the crowd stays in place while /health is timed.
$BIN/boxoffice serve --data "$WORK/node" --port $PORT --head-timeout 300 >/dev/null 2>"$WORK/serve.log" & PIDS+=($!)
NODE=${PIDS[-1]}
wait_for http://127.0.0.1:$PORT/health
HALF=$((TOTAL / 2))
for part in 1 2; do
  python3 bench/idle_clients.py $HALF $PORT >"$WORK/clients-$part.out" & PIDS+=($!)
done
for part in 1 2; do
  for _ in $(seq 600); do grep -q ready "$WORK/clients-$part.out" && break; sleep 0.1; done
done
opened=$(cat "$WORK"/clients-*.out | awk '{sum += $2} END {print sum}')
held=$(ls /proc/$NODE/fd | wc -l)
times=()
for _ in $(seq 20); do times+=("$(curl -s -o /dev/null -w '%{time_total}' --max-time 5 http://127.0.0.1:$PORT/health || echo timeout)"); done
echo "client connections opened: $opened; node file descriptors: $held"
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "/health with the crowd in place: min %.4f s, median %.4f s, max %.4f s (%d probes)\n", a[1], a[int((NR+1)/2)], a[NR], NR}'
echo "connections the node closed and logged: $(grep -c "closed" "$WORK/serve.log" || true)"
