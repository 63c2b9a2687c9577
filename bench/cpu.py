#!/usr/bin/env python3
"""Prints a JSON snapshot of CPU time (seconds) spent so far, split by who spent it:
the service (by pid), PostgreSQL (processes named postgres), the load generator (java/Maven
processes whose command line mentions gatling) and the whole machine (busy time from /proc/stat).
Two snapshots taken around the load phase tell where the cores went (see bench/summary.py).

Usage: bench/cpu.py SERVICE_PID > snapshot.json
"""
import json
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def process_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def main():
    service_pid = sys.argv[1]
    snapshot = {"at": time.time(), "service": 0.0, "postgres": 0.0, "gatling": 0.0}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                comm = f.read().strip()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().decode(errors="replace")
            seconds = process_seconds(pid)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if pid == service_pid:
            snapshot["service"] += seconds
        elif comm == "postgres":
            snapshot["postgres"] += seconds
        elif comm == "java" and "gatling" in cmdline:
            snapshot["gatling"] += seconds
    with open("/proc/stat") as f:
        cpu = [int(v) for v in f.readline().split()[1:]]
    idle = cpu[3] + cpu[4]  # idle + iowait
    snapshot["machine_busy"] = (sum(cpu[:8]) - idle) / TICK
    snapshot["cores"] = os.cpu_count()
    json.dump(snapshot, sys.stdout)


if __name__ == "__main__":
    main()
