#!/usr/bin/env python3
"""Samples CPU time (seconds) spent so far, split by who spent it: the service (by pid), PostgreSQL
(its auxiliary processes and the backends of the bench's databases, BENCH_DATABASE and its key
store; backends of other databases count as other processes), Redis (redis-server), the load
generators (Gatling: java/Maven processes whose command line mentions gatling; pgbench) and the
whole machine (busy time from /proc/stat). Each party's time is kept per process ("pids"), so two
samples around a phase tell where the cores went even while processes come and go (a backend that
exits takes its time with it): see bench/summary.py.

Usage: bench/cpu.py SERVICE_PID                       one sample (JSON) on stdout
       bench/cpu.py --every SECONDS --pid-file FILE   one sample a line until killed; the service's
                                                      pid is read from FILE at each sample (0 or a
                                                      missing file: no service)
"""
import json
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")
DATABASE = os.environ.get("BENCH_DATABASE", "hb_bench")
PARTIES = ("service", "postgres", "redis", "gatling", "pgbench")


def process_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def postgres_is_ours(cmdline):
    """Auxiliary processes (writers, checkpointer, autovacuum) and the bench databases' backends."""
    title = cmdline.replace("\0", " ").split(":", 2)
    words = title[2].split() if len(title) == 3 else []
    backend = len(words) >= 3 and ("(" in words[2] or words[2] == "[local]")
    return not backend or words[1] in (DATABASE, DATABASE + "_keys")


def sample(service_pid):
    snapshot = {"at": time.time(), **{p: 0.0 for p in PARTIES}, "pids": {p: {} for p in PARTIES}}
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
            party = "service"
        elif comm == "postgres":
            party = "postgres" if postgres_is_ours(cmdline) else None
        elif comm == "redis-server":
            party = "redis"
        elif comm == "pgbench":
            party = "pgbench"
        elif comm == "java" and "gatling" in cmdline:
            party = "gatling"
        else:
            party = None
        if party:
            snapshot[party] += seconds
            snapshot["pids"][party][pid] = seconds
    with open("/proc/stat") as f:
        cpu = [int(v) for v in f.readline().split()[1:]]
    idle = cpu[3] + cpu[4]  # idle + iowait
    snapshot["machine_busy"] = (sum(cpu[:8]) - idle) / TICK
    snapshot["cores"] = os.cpu_count()
    snapshot["service_pid"] = service_pid
    return snapshot


def read_pid(path):
    try:
        with open(path) as f:
            return f.read().strip() or "0"
    except FileNotFoundError:
        return "0"


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--every" and sys.argv[3] == "--pid-file":
        every, pid_file = float(sys.argv[2]), sys.argv[4]
        while True:
            print(json.dumps(sample(read_pid(pid_file))), flush=True)
            time.sleep(every)
    elif len(sys.argv) == 2:
        json.dump(sample(sys.argv[1]), sys.stdout)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
