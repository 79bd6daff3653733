#!/usr/bin/env python3
"""Runs wrk against a server and shows where the machine's CPU went, in microseconds per request.

    bench/cpu-per-request.py SERVER_PID OUT_JSON -- wrk ARGS...

Prints wrk's requests per second (the last line, for scripts) and writes OUT_JSON with the CPU
time per request of: each group of the server's threads (by their system names: NIO event loops,
the journal and document-file threads of a Boxoffice node, and the rest: request handlers on
Swift's executor), wrk itself, and everything else the machine did meanwhile (kernel threads
flushing files, interrupts). When the CPU is the limit, requests per second is the inverse of
this total, so two servers' figures explain their ratio.
"""
import json
import os
import re
import resource
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def process_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def thread_seconds(pid):
    """CPU seconds of each live thread, keyed by thread id, with its system name."""
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            name = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            on_cpu = int(open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[0]) / 1e9
        except OSError:
            continue  # the thread ended
        threads[tid] = (name, on_cpu)
    return threads


def machine_busy_seconds():
    fields = list(map(int, open("/proc/stat").readline().split()[1:]))
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / TICKS


def group(name):
    if name.startswith("NIO-"):
        return "server: NIO event loops"
    if name == "bo-journal":
        return "server: journal (write + fdatasync)"
    if name == "bo-files":
        return "server: document files"
    return "server: request handlers (Swift tasks)"


def main():
    pid, out = sys.argv[1], sys.argv[2]
    wrk = sys.argv[sys.argv.index("--") + 1:]
    threads_before, process_before, busy_before = thread_seconds(pid), process_seconds(pid), machine_busy_seconds()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(wrk, capture_output=True, text=True, check=True)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    threads_after, process_after, busy_after = thread_seconds(pid), process_seconds(pid), machine_busy_seconds()

    requests = int(re.search(r"(\d+) requests in", result.stdout).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    per_request = lambda seconds: round(seconds / requests * 1e6, 1)

    groups = {}
    for tid, (name, seconds) in threads_after.items():
        used = seconds - threads_before.get(tid, (name, 0))[1]
        groups[group(name)] = groups.get(group(name), 0) + used
    # Threads that ended during the run count with the request handlers.
    server = process_after - process_before
    groups["server: request handlers (Swift tasks)"] = groups.get("server: request handlers (Swift tasks)", 0) + max(0, server - sum(groups.values()))
    client = (children_after.ru_utime - children_before.ru_utime) + (children_after.ru_stime - children_before.ru_stime)
    rest = max(0, (busy_after - busy_before) - server - client)
    budget = {name: per_request(seconds) for name, seconds in sorted(groups.items())}
    budget["wrk (the load generator)"] = per_request(client)
    budget["rest of the machine (kernel threads, interrupts)"] = per_request(rest)
    budget["total"] = round(sum(v for k, v in budget.items()), 1)
    json.dump({"requests_per_second": rate, "cpu_microseconds_per_request": budget}, open(out, "w"), indent=2)
    print(rate)


if __name__ == "__main__":
    main()
