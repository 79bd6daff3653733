#!/usr/bin/env bash
# Property-based API test: schemathesis generates requests from GET /openapi.yaml against a real
# node with every check (--checks all): no 5xx, no undocumented status or header, answers that
# keep the schema, valid requests accepted, invalid ones refused, Allow on 405s. Each security
# scheme of the document gets its own credential: an organizer's token for `bearer`
# (schemathesis.toml beside this script), and for `peer` a signature by the node's own key
# (hooks.py), so no operation is answered only 401.
# Usage: Tests/schemathesis/run.sh [examples-per-operation=30]   (installs schemathesis with pip)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v schemathesis >/dev/null || python3 -m pip install -q schemathesis
swift build --product boxoffice
WORK=$(mktemp -d)
PORT=18095
.build/debug/boxoffice user add --data "$WORK/node" --node-id fuzz-node --role organizer --email fuzz@venue.test --name Fuzz --password fuzz-password >/dev/null
.build/debug/boxoffice serve --data "$WORK/node" --port $PORT >/dev/null 2>"$WORK/serve.log" &
NODE=$!
trap 'kill $NODE 2>/dev/null; wait $NODE 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/health >/dev/null && break; sleep 0.1; done
FUZZ_TOKEN=$(curl -sf -X POST http://127.0.0.1:$PORT/users/login -d '{"email":"fuzz@venue.test","password":"fuzz-password"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
export FUZZ_TOKEN FUZZ_NODE_ID=fuzz-node FUZZ_NODE_KEY="$WORK/node/identity/node.key"
export PYTHONPATH="$PWD/Tests/schemathesis${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=hooks
schemathesis --config-file Tests/schemathesis/schemathesis.toml run "http://127.0.0.1:$PORT/openapi.yaml" \
  -u "http://127.0.0.1:$PORT" -n "${1:-30}" --checks all
