#!/usr/bin/env bash
# Screenshots of the main pages for people to look at: a node with demo data (an organizer, a
# staff member, an attendee, three events with some sales), and headless Chromium (driven by
# Playwright, as in the browser test) saving home, event, hold, tickets, check-in and event
# management at desktop and phone width.
# Usage: bench/screenshots.sh [output-directory=docs/screenshots]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-docs/screenshots}
mkdir -p "$OUT"
CONFIG=debug
source bench/common.sh
PORT=18411
API=http://127.0.0.1:$PORT
$BIN/boxoffice user add --data "$WORK/node" --email olga@venue.test --name "Olga Organizer" --password organizer-pw --role organizer >/dev/null
$BIN/boxoffice user add --data "$WORK/node" --email sam@venue.test --name "Sam Staff" --password staff-pw-1 --role staff >/dev/null
$BIN/boxoffice serve --data "$WORK/node" --port $PORT --secret screenshot-secret-0123 >/dev/null 2>&1 & PIDS+=($!)
wait_for $API/health
T=$(curl -s -X POST $API/users/login -d '{"email":"olga@venue.test","password":"organizer-pw"}' | json token)
event() { curl -s -X POST $API/events -H "Authorization: Bearer $T" -d "$1" | json id; }
E=$(event '{"name":"Harbour Lights","description":"An open-air evening of brass and strings on the pier.","date":"2031-07-04T19:30:00Z","location":"Pier 3","capacity":120,"price":18,"currency":"EUR","holdMinutes":10}')
S=$(event '{"name":"Poetry Slam","date":"2031-07-11T19:00:00Z","location":"Studio","capacity":4,"price":8,"currency":"EUR"}')
event '{"name":"Jazz on the Lawn","date":"2031-08-01T18:00:00Z","location":"Garden","capacity":300,"price":25.5,"currency":"EUR"}' >/dev/null
curl -s -X POST $API/tickets -H "Authorization: Bearer $T" -d "{\"eventId\":\"$S\",\"quantity\":4}" >/dev/null
curl -s -X POST $API/tickets -H "Authorization: Bearer $T" -d "{\"eventId\":\"$E\",\"quantity\":7}" >/dev/null
curl -s -X POST $API/users/register -d '{"name":"Ada Lovelace","email":"ada@example.com","password":"analytical-engine"}' >/dev/null
python3 bench/screenshots.py $API "$OUT" "$E"
ls -1 "$OUT"
