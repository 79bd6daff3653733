-- POST /echo with a small JSON body, like a ticket purchase (the bare Hummingbird baseline).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"eventId":"e-benchmark","quantity":1}'
