#!/usr/bin/env bash
# Loopback capture of a sync between real nodes (tcpdump): what a venue's network sees.
# Node A serves HTTPS (boxoffice tls init), node B plain HTTP. B enrolls at A and pulls over TLS,
# then C enrolls at B and pulls over plain HTTP. The script then searches every captured byte:
# the cluster secret and the organizer's token must appear nowhere; A's documents must not appear
# in the TLS traffic. Exits 1 if any does. Usage: bench/capture.sh   (root, or sudo for tcpdump)
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-debug}
command -v tcpdump >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tcpdump; }
source bench/common.sh
SECRET=capture-cluster-secret-$RANDOM$RANDOM
EVENT_NAME="Night of the captured packets"
TLS_PORT=18101
PLAIN_PORT=18102

for node in a b; do
  $BIN/boxoffice user add --data "$WORK/$node" --node-id "venue-$node" --email org@$node.test --name Org --password organizer-pw --role organizer >/dev/null
done
PIN=$($BIN/boxoffice tls init --data "$WORK/a" | awk '/^pin/ {print $2}')
tcpdump -i lo -U -w "$WORK/wire.pcap" "tcp port $TLS_PORT or tcp port $PLAIN_PORT" 2>/dev/null & PIDS+=($!)
sleep 1  # tcpdump has no readiness signal; it must be listening before the first packet

$BIN/boxoffice serve --data "$WORK/a" --port $TLS_PORT --secret "$SECRET" >/dev/null 2>&1 & PIDS+=($!)
for _ in $(seq 300); do curl -sf --cacert "$WORK/a/tls/certificate.pem" https://localhost:$TLS_PORT/health >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf --cacert "$WORK/a/tls/certificate.pem" -X POST https://localhost:$TLS_PORT/users/login \
  -d '{"email":"org@a.test","password":"organizer-pw"}' | json token)
curl -sf --cacert "$WORK/a/tls/certificate.pem" -X POST https://localhost:$TLS_PORT/events -H "Authorization: Bearer $TOKEN" \
  -d "{\"name\":\"$EVENT_NAME\",\"date\":\"2031-01-01T20:00:00Z\",\"location\":\"Loopback\",\"capacity\":10,\"price\":10,\"currency\":\"EUR\"}" >/dev/null
$BIN/boxoffice sync https://127.0.0.1:$TLS_PORT --data "$WORK/b" --secret "$SECRET" --pin "$PIN" --pull-only | tail -1
$BIN/boxoffice serve --data "$WORK/b" --port $PLAIN_PORT --secret "$SECRET" >/dev/null 2>&1 & PIDS+=($!)
wait_for http://127.0.0.1:$PLAIN_PORT/health
$BIN/boxoffice sync http://127.0.0.1:$PLAIN_PORT --data "$WORK/c" --secret "$SECRET" --pull-only | tail -1
sleep 1  # let tcpdump write the last packets
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true

tcpdump -r "$WORK/wire.pcap" -w "$WORK/tls.pcap" "tcp port $TLS_PORT" 2>/dev/null
tcpdump -r "$WORK/wire.pcap" -w "$WORK/plain.pcap" "tcp port $PLAIN_PORT" 2>/dev/null
found() { grep -c -a -F -- "$1" "$2" || true; }
status=0
check() { # WHAT COUNT EXPECTED(yes|no)
  local seen=no; [ "$2" -gt 0 ] && seen=yes
  printf '%-52s %s\n' "$1" "$seen"
  [ "$seen" = "$3" ] || status=1
}
echo "captured $(stat -c %s "$WORK/wire.pcap") bytes on loopback ports $TLS_PORT (HTTPS) and $PLAIN_PORT (HTTP)"
check "cluster secret anywhere on the wire:" "$(found "$SECRET" "$WORK/wire.pcap")" no
check "organizer's access token anywhere on the wire:" "$(found "$TOKEN" "$WORK/wire.pcap")" no
check "Authorization: Bearer on a sync request:" "$(found "Authorization: Bearer $SECRET" "$WORK/wire.pcap")" no
check "event name in the HTTPS traffic:" "$(found "$EVENT_NAME" "$WORK/tls.pcap")" no
check "signed sync requests in the HTTP traffic:" "$(found "Signature-Input: boxoffice=" "$WORK/plain.pcap")" yes
check "event name in the plain HTTP traffic (expected):" "$(found "$EVENT_NAME" "$WORK/plain.pcap")" yes
exit $status
