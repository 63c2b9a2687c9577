#!/usr/bin/env python3
"""Writes target/bench/summary.md from one benchmark run and prints it.

Sources, all produced by the run itself:
  * Gatling's HTML report (index.html): per request type the count, KO count and the 50th, 95th
    and 99th percentiles over the whole run. Gatling 3.15 no longer writes js/stats.json and its
    simulation.log is binary, so the statistics table of the report is the stable thing to read.
  * Gatling's console output (gatling.log): cumulative counts every few seconds, from which the
    steady-state rate (after the ramp) is computed.
  * booking-statuses.json (written by the simulation): booking responses by HTTP status.
  * cpu.jsonl (bench/cpu.py samples taken during the run): where the CPU time went.
  * start-up time, RSS figures and the command, passed by scripts/bench.sh.
"""
import argparse
import datetime
import html.parser
import json
import os
import platform
import re
import subprocess

COLUMNS = {"Total": "count", "KO": "ko", "Cnt/s": "mean_rps", "50th pct": "p50", "95th pct": "p95",
           "99th pct": "p99", "Max": "max"}


class StatsTable(html.parser.HTMLParser):
    """Collects the report's statistics table: header names, then one row per request type."""

    def __init__(self):
        super().__init__()
        self.headers, self.rows = [], {}
        self._header = self._row = self._cell = self._name = None
        self._in_name = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "th" and (a.get("id") or "").startswith("col-"):
            self._header = ""
        elif tag == "tr" and (a.get("id") or "").startswith(("req_", "ROOT")):
            self._row, self._name = [], ""
        elif tag == "td" and self._row is not None:
            self._cell = ""
        elif tag == "span" and "ellipsed-name" in (a.get("class") or "") and self._row is not None:
            self._in_name = True

    def handle_data(self, data):
        if self._header is not None:
            self._header += data
        if self._cell is not None:
            self._cell += data
        if self._in_name:
            self._name += data

    def handle_endtag(self, tag):
        if tag == "th" and self._header is not None:
            self.headers.append(self._header.strip())
            self._header = None
        elif tag == "span" and self._in_name:
            self._in_name = False
        elif tag == "td" and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            # The first cell holds the name; the values follow in header order.
            self.rows[self._name.strip()] = dict(zip(self.headers[1:], self._row[1:]))
            self._row = None


def number(text):
    return float(text.replace(",", "")) if text not in ("", "-") else 0.0


def gatling_stats(report_dir):
    table = StatsTable()
    with open(os.path.join(report_dir, "index.html"), encoding="utf-8") as f:
        table.feed(f.read())
    missing = [c for c in COLUMNS if c not in table.headers]
    if missing or not table.rows:
        raise SystemExit(f"summary: unexpected Gatling report layout (missing columns {missing})")
    return {name: {key: number(row[col]) for col, key in COLUMNS.items()} for name, row in table.rows.items()}


def console_snapshots(gatling_log):
    """[(elapsed seconds, {request name: cumulative count})] from Gatling's periodic console output."""
    snapshots, current = [], None
    with open(gatling_log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.search(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) GMT\s+(\d+)s elapsed", line)
            if m:
                at = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")
                current = (int(m.group(2)), at.replace(tzinfo=datetime.timezone.utc).timestamp(), {})
                snapshots.append(current)
                continue
            m = re.match(r"^> (.+?)\s+\|\s+([\d,]+) \|", line)
            if m and current is not None:
                current[2][m.group(1).strip()] = int(m.group(2).replace(",", ""))
            if line.startswith("---- Global Information"):
                current = None
    return snapshots


def steady_rates(snapshots, ramp):
    """Requests/s per type between the first snapshot after the ramp and the last snapshot."""
    after_ramp = [s for s in snapshots if s[0] >= ramp]
    if len(after_ramp) < 2:
        return {}, None
    (t0, _, c0), (t1, _, c1) = after_ramp[0], after_ramp[-1]
    return {name: (c1[name] - c0.get(name, 0)) / (t1 - t0) for name in c1}, (t0, t1)


def cpu_shares(cpu_file, start, end):
    """Average cores used by each party between wall-clock times start and end."""
    if not os.path.exists(cpu_file):
        return None
    with open(cpu_file) as f:
        samples = [json.loads(line) for line in f if line.strip()]
    window = [s for s in samples if start <= s["at"] <= end]
    if len(window) < 2:
        return None
    a, b = window[0], window[-1]
    seconds = b["at"] - a["at"]
    shares = {k: (b[k] - a[k]) / seconds for k in ("service", "postgres", "gatling", "machine_busy")}
    shares["other"] = max(0.0, shares["machine_busy"] - shares["service"] - shares["postgres"] - shares["gatling"])
    shares["cores"] = a["cores"]
    shares["seconds"] = seconds
    return shares


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    return model, mem_kb


def output_of(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def main():
    p = argparse.ArgumentParser()
    for name in ("report", "gatling-log", "statuses", "cpu", "command", "out", "java", "loadavg"):
        p.add_argument("--" + name, required=True)
    for name in ("startup", "ramp", "steady", "rss-idle-kb", "rss-peak-kb", "rss-after-kb"):
        p.add_argument("--" + name, type=float, required=True)
    args = p.parse_args()

    stats = gatling_stats(args.report)
    snapshots = console_snapshots(args.gatling_log)
    rates, window = steady_rates(snapshots, args.ramp)
    statuses = {}
    if os.path.exists(args.statuses):
        with open(args.statuses) as f:
            statuses = json.load(f)
    cpu = None
    if window and snapshots:
        started = snapshots[0][1] - snapshots[0][0]  # wall-clock start of the simulation
        cpu = cpu_shares(args.cpu, started + window[0], started + window[1])
    model, mem_kb = machine()
    mib = lambda kb: f"{kb / 1024:.0f} MiB"

    lines = ["# Benchmark summary", "",
             f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}, "
             f"commit `{output_of('git', 'rev-parse', '--short', 'HEAD')}`"
             f"{' (uncommitted changes)' if output_of('git', 'status', '--porcelain', '--untracked-files=no') not in ('', 'unknown') else ''}.",
             f"Command: `{args.command}`", "",
             "| request | count | req/s (steady) | req/s (whole run) | p50 ms | p95 ms | p99 ms | max ms | errors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    order = ["book", "patient read", "availability", "login", "All Requests"]
    for name in sorted(stats, key=lambda n: order.index(n) if n in order else len(order)):
        s = stats[name]
        rate = rates.get("Global" if name == "All Requests" else name)
        errors = f"{100 * s['ko'] / s['count']:.2f}%" if s["count"] else "-"
        lines.append(f"| {name} | {s['count']:.0f} | {'-' if rate is None else f'{rate:.0f}'} | "
                     f"{s['mean_rps']:.0f} | {s['p50']:.0f} | {s['p95']:.0f} | {s['p99']:.0f} | {s['max']:.0f} | "
                     f"{errors} |")
    booked, taken = statuses.get("201", 0), statuses.get("409", 0)
    others = {k: v for k, v in statuses.items() if k not in ("201", "409")}
    if statuses:
        lines += ["", f"Bookings: {booked} created (201), {taken} refused as SLOT_TAKEN (409)"
                  + (f", other statuses {others}" if others else "") + ". Every booking targets a distinct "
                  "(practitioner, slot) and patient/time pair, so a 409 is a fault, not contention."]
    lines += ["",
              f"Latency percentiles and the whole-run rate cover the ramp too; the steady rate is measured "
              f"between {window[0]} s and {window[1]} s of the run (after the {args.ramp:.0f} s ramp)."
              if window else "No steady-state window (run too short for a console snapshot after the ramp).",
              "", "| service | value |", "|---|---:|",
              f"| start-up (launch to first /health 200) | {args.startup:.1f} s |",
              f"| idle RSS (5 s after start-up, before data and load) | {mib(args.rss_idle_kb)} |",
              f"| RSS after the load / peak RSS (VmHWM) | {mib(args.rss_after_kb)} / {mib(args.rss_peak_kb)} |"]
    if cpu:
        lines += ["", f"CPU during the steady phase ({cpu['seconds']:.0f} s, in cores of {cpu['cores']}): "
                  f"service {cpu['service']:.2f}, PostgreSQL {cpu['postgres']:.2f}, Gatling {cpu['gatling']:.2f}, "
                  f"other processes {cpu['other']:.2f}; machine busy {cpu['machine_busy']:.2f}."]
        if cpu["other"] > 0.1:
            lines += ["", f"**Warning:** other processes took {cpu['other']:.2f} cores during the measurement; "
                      "the figures above understate what this machine can do. Re-run on a quiet machine."]
    lines += ["", "Machine:",
              f"- {os.cpu_count()} cores (`nproc`), {model}, {mib(mem_kb)} memory",
              f"- {platform.system()} {platform.release()}; load average before the run: {args.loadavg}",
              f"- {args.java}",
              f"- {output_of('psql', '-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-tAc', 'show server_version')} "
              f"PostgreSQL, {output_of('redis-server', '--version').split(' sha=')[0]}",
              "- PostgreSQL, Redis, the service and Gatling all run on this one machine.",
              "", f"Gatling report: {os.path.join(args.report, 'index.html')}"]
    text = "\n".join(lines) + "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
