"""Opens COUNT connections to 127.0.0.1:PORT that each send half a request head and then wait,
as a crowd of stalled clients would; prints 'ready <open>' when they are all open and holds them
until killed. Used by bench/idle-connections.sh (one process per 10,000: a process may hold at
most its file-descriptor limit)."""
import resource
import socket
import sys
import time

count, port = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
held = []
for _ in range(count):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line: the head never ends
        held.append(s)
    except OSError:
        break
print(f"ready {len(held)}", flush=True)
while True:
    time.sleep(3600)
