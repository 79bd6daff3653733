#!/usr/bin/env bash
# Screenshots of the conflict report and the night's settlement for a person to look at: two
# nodes edit one event and both sell the last seat of an overbook event while apart, sell at their
# counters by cash, card and comp, refund one, sync, and headless Chromium (Playwright) signs in
# on the pages and saves /conflicts and /web/reports/settlement at desktop and phone width.
# Usage: bench/screenshot-conflicts.sh [output-directory=docs/screenshots]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-docs/screenshots}
mkdir -p "$OUT"
CONFIG=debug
source bench/common.sh
SECRET=screenshot-secret-0123
for n in a b; do
  $BIN/boxoffice user add --data "$WORK/$n" --email "org@$n.test" --name "Organizer $n" --password organizer-pw --role organizer >/dev/null
done
$BIN/boxoffice serve --data "$WORK/a" --port 18401 --secret $SECRET >/dev/null 2>&1 & PIDS+=($!)
$BIN/boxoffice serve --data "$WORK/b" --port 18402 --secret $SECRET >/dev/null 2>&1 & PIDS+=($!)
for p in 18401 18402; do wait_for http://127.0.0.1:$p/health; done
TA=$(curl -s -X POST http://127.0.0.1:18401/users/login -d '{"email":"org@a.test","password":"organizer-pw"}' | json token)
TB=$(curl -s -X POST http://127.0.0.1:18402/users/login -d '{"email":"org@b.test","password":"organizer-pw"}' | json token)
E=$(curl -s -X POST http://127.0.0.1:18401/events -H "Authorization: Bearer $TA" \
  -d '{"name":"Jazz on the lawn","date":"2031-06-01T19:00:00Z","location":"Lawn","capacity":200,"price":18,"currency":"EUR"}' | json id)
$BIN/boxoffice sync http://127.0.0.1:18402 --data "$WORK/a" --secret $SECRET >/dev/null
curl -s -X PATCH http://127.0.0.1:18401/events/$E -H "Authorization: Bearer $TA" -d '{"location":"Garden","price":20}' >/dev/null
curl -s -X PATCH http://127.0.0.1:18402/events/$E -H "Authorization: Bearer $TB" -d '{"location":"Cellar"}' >/dev/null
$BIN/boxoffice sync http://127.0.0.1:18402 --data "$WORK/a" --secret $SECRET >/dev/null
O=$(curl -s -X POST http://127.0.0.1:18401/events -H "Authorization: Bearer $TA" \
  -d '{"name":"Last seat","date":"2031-06-02T19:00:00Z","location":"Cellar","capacity":1,"price":30,"currency":"EUR","salesPolicy":"overbook"}' | json id)
$BIN/boxoffice sync http://127.0.0.1:18402 --data "$WORK/a" --secret $SECRET >/dev/null
curl -s -X POST http://127.0.0.1:18401/tickets -H "Authorization: Bearer $TA" -d "{\"eventId\":\"$O\",\"quantity\":1,\"holderName\":\"Ann Early\"}" >/dev/null
curl -s -X POST http://127.0.0.1:18402/tickets -H "Authorization: Bearer $TB" -d "{\"eventId\":\"$O\",\"quantity\":1,\"holderName\":\"Bo Late\"}" >/dev/null
$BIN/boxoffice sync http://127.0.0.1:18402 --data "$WORK/a" --secret $SECRET >/dev/null
$BIN/boxoffice sync http://127.0.0.1:18402 --data "$WORK/a" --secret $SECRET >/dev/null
# A night at both counters: cash, card and a complimentary seat; one cash sale refunded.
N=$(curl -s -X POST http://127.0.0.1:18401/events -H "Authorization: Bearer $TA" \
  -d '{"name":"Night Gala","date":"2031-06-03T19:00:00Z","location":"Hall","capacity":100,"price":18.5,"currency":"EUR","salesPolicy":"overbook"}' | json id)
$BIN/boxoffice sync http://127.0.0.1:18402 --data "$WORK/a" --secret $SECRET >/dev/null
for sale in "18401 $TA Cy cash" "18401 $TA Di card" "18402 $TB Guest comp" "18402 $TB Ed cash"; do
  set -- $sale
  curl -sf -X POST http://127.0.0.1:$1/tickets -H "Authorization: Bearer $2" \
    -d "{\"eventId\":\"$N\",\"quantity\":1,\"holderName\":\"$3\",\"paymentMethod\":\"$4\"}" > "$WORK/sale.json"
done
REFUND=$(python3 -c "import json; print(json.load(open('$WORK/sale.json'))['tickets'][0]['id'])")
curl -s -X POST http://127.0.0.1:18402/tickets/$REFUND/cancel -H "Authorization: Bearer $TB" >/dev/null
$BIN/boxoffice sync http://127.0.0.1:18402 --data "$WORK/a" --secret $SECRET >/dev/null
DAY=$(curl -s http://127.0.0.1:18401/reports/settlement.json -H "Authorization: Bearer $TA" | json date)
python3 bench/screenshots.py conflicts http://127.0.0.1:18401 "$OUT" org@a.test organizer-pw
python3 bench/screenshots.py settlement http://127.0.0.1:18401 "$OUT" org@a.test organizer-pw "$DAY"
echo "saved $OUT/conflicts-desktop.png, $OUT/conflicts-phone.png, $OUT/settlement-desktop.png and $OUT/settlement-phone.png"
