"""Walk-in buyers at many venues at once (bench/scale.sh): each buyer tries to buy one seat at its
venue, again every 200 ms while the venue has none, until it has one or the time is up. Prints one
JSON line: seconds until the last sale, sales, refusals."""
import http.client, json, sys, threading, time

venues = json.loads(sys.argv[1])  # [[port, token], ...]
event, buyers_each, limit = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
start = time.monotonic()
lock = threading.Lock()
sold, refused, last_sale = 0, 0, 0.0


def buyer(port, token, n):
    global sold, refused, last_sale
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = json.dumps({"eventId": event, "quantity": 1, "holderName": f"Walk-in {port}-{n}"})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    while time.monotonic() - start < limit:
        try:
            connection.request("POST", "/tickets", body, headers)
            response = connection.getresponse()
            response.read()
        except OSError:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            time.sleep(0.2)
            continue
        with lock:
            if response.status == 201:
                sold += 1
                last_sale = time.monotonic() - start
                return
            refused += 1
        time.sleep(0.2)


threads = [threading.Thread(target=buyer, args=(port, token, n)) for port, token in venues for n in range(buyers_each)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"seconds": round(last_sale, 2), "sold": sold, "refused": refused}))
