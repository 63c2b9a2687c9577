#!/usr/bin/env python3
"""Writes target/bench/summary.md from one benchmark run and prints it.

Sources, all produced by the run itself:
  * Gatling's HTML reports (index.html, one per path): per request type the count, KO count and the 50th, 95th
    and 99th percentiles over the whole run. Gatling 3.15 no longer writes js/stats.json and its
    simulation.log is binary, so the statistics table of the report is the stable thing to read.
  * phases.jsonl (written by the simulation): each path's measured window (wall clock). Its
    requests are named after the path (those of the ramp and warm-up "<path> (warm-up)"), so the
    report's row for that name is the measurement; req/s is its count over the window's length.
  * booking-statuses.json (written by the simulation): booking responses by HTTP status.
  * the ceiling's results (bench/ceiling.py: <path>.json, pgbench's rate and its wall-clock window).
  * cpu.jsonl (bench/cpu.py, a sample a second through the whole run): where the CPU time went in
    each window.
  * start-up time, RSS figures, the drift check's outcome and the command, passed by scripts/bench.sh.
"""
import argparse
import datetime
import html.parser
import json
import os
import platform
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


def cpu_samples(cpu_file):
    if not os.path.exists(cpu_file):
        return []
    samples = []
    with open(cpu_file) as f:
        for line in f:
            try:
                samples.append(json.loads(line))
            except ValueError:
                pass  # a line cut off when the sampler was stopped
    return samples


def cpu_shares(samples, start, end):
    """Average cores used by each party between wall-clock times start and end (None: too few samples).
    Per process: a process present at both ends counts its difference, one that started in between
    all its time, one that exited in between nothing (its time left with it)."""
    window = [s for s in samples if start <= s["at"] <= end]
    if len(window) < 2:
        return None
    a, b = window[0], window[-1]
    seconds = b["at"] - a["at"]
    if seconds <= 0:
        return None
    parties = ("service", "postgres", "redis", "gatling", "pgbench")
    shares = {}
    for party in parties:
        before, after = a.get("pids", {}).get(party, {}), b.get("pids", {}).get(party, {})
        shares[party] = sum(max(0.0, t - before.get(pid, 0.0)) for pid, t in after.items()) / seconds
    shares["machine_busy"] = (b["machine_busy"] - a["machine_busy"]) / seconds
    shares["other"] = max(0.0, shares["machine_busy"] - sum(shares[p] for p in parties))
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


PATHS = [("patient-read", "patient read"), ("patient-search", "patient search (20 results)"),
         ("booking", "booking"), ("availability", "availability (7 days)")]


def fmt(value, digits=0):
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--report", required=True, action="append", help="a Gatling report directory (repeatable)")
    for name in ("phases", "statuses", "cpu", "ceiling", "command", "out", "java", "loadavg", "drift"):
        p.add_argument("--" + name, required=True)
    for name in ("startup", "rss-idle-kb", "rss-peak-kb", "rss-after-kb", "connections"):
        p.add_argument("--" + name, type=float, required=True)
    args = p.parse_args()

    stats = {}
    for report in args.report:
        stats.update({name: row for name, row in gatling_stats(report).items() if name != "All Requests"})
    phases = {}
    with open(args.phases) as f:
        for line in f:
            if line.strip():
                phase = json.loads(line)
                phases[phase["path"]] = phase
    statuses = {}
    if os.path.exists(args.statuses):
        with open(args.statuses) as f:
            statuses = json.load(f)
    samples = cpu_samples(args.cpu)
    model, mem_kb = machine()
    mib = lambda kb: f"{kb / 1024:.0f} MiB"
    cores = os.cpu_count()

    rows, cpu_rows, busy_others = [], [], []
    for path, label in PATHS:
        phase = phases.get(path)
        if phase is None:
            continue
        s = stats.get(path)
        rate = s["count"] / phase["seconds"] if s else None
        ceiling = None
        ceiling_file = os.path.join(args.ceiling, f"{path}.json")
        if os.path.exists(ceiling_file):
            with open(ceiling_file) as f:
                ceiling = json.load(f)
        ratio = rate / ceiling["requests_per_s"] if rate and ceiling and ceiling["requests_per_s"] else None
        errors = f"{100 * s['ko'] / s['count']:.2f} %" if s and s["count"] else "-"
        rows.append(f"| {label} | {fmt(rate)} | {fmt(s and s['p50'])} | {fmt(s and s['p95'])} | "
                    f"{fmt(s and s['p99'])} | {errors} | {fmt(ceiling and ceiling['requests_per_s'])} | "
                    f"**{fmt(ratio, 2)}** |")
        service_cpu = cpu_shares(samples, phase["start"], phase["end"])
        # pgbench's first seconds are its connections and statement preparation.
        ceiling_cpu = cpu_shares(samples, ceiling["start"] + 2, ceiling["end"] - 0.5) if ceiling else None
        per_request = lambda share, r: share / r * 1000 if share is not None and r else None
        cpu_rows.append(
            f"| {label} | "
            + (" | ".join(fmt(service_cpu[k], 2) for k in ("service", "postgres", "redis", "gatling", "other"))
               if service_cpu else "- | - | - | - | -")
            + f" | {fmt(per_request(service_cpu and service_cpu['service'], rate), 3)}"
            + f" / {fmt(per_request(service_cpu and service_cpu['postgres'], rate), 3)} | "
            + (" | ".join(fmt(ceiling_cpu[k], 2) for k in ("postgres", "pgbench", "other"))
               if ceiling_cpu else "- | - | -")
            + f" | {fmt(per_request(ceiling_cpu and ceiling_cpu['postgres'], ceiling and ceiling['requests_per_s']), 3)} |")
        for share in (service_cpu, ceiling_cpu):
            if share and share["other"] > 0.1:
                busy_others.append(share["other"])

    lines = ["# Benchmark summary", "",
             f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}, "
             f"commit `{output_of('git', 'rev-parse', '--short', 'HEAD')}`"
             f"{' (uncommitted changes)' if output_of('git', 'status', '--porcelain', '--untracked-files=no') not in ('', 'unknown') else ''}.",
             f"Command: `{args.command}`", "",
             f"Each hot path on its own at {args.connections:.0f} connections (closed loop, no think time). "
             "Service: `APP_ROLE=api`, Redis sessions and rate limits, audit, field encryption. Ceiling: pgbench "
             "(prepared statements, same connections) running the statements the service sends for that path "
             f"(bench/ceiling/*.sql; drift check: {args.drift}). Latency percentiles cover the measured window "
             "only (after ramp and warm-up).", "",
             "| path | service req/s | p50 ms | p95 ms | p99 ms | errors | ceiling req/s | service ÷ ceiling |",
             "|---|---:|---:|---:|---:|---:|---:|---:|", *rows, "",
             f"CPU in cores (of {cores}) during each measurement, and CPU time per request (ms):", "",
             "| path | service java | PostgreSQL | Redis | Gatling | other | ms/req java / PostgreSQL | "
             "ceiling: PostgreSQL | pgbench | other | ms/req PostgreSQL |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|", *cpu_rows]
    booked, taken = statuses.get("201", 0), statuses.get("409", 0)
    others = {k: v for k, v in statuses.items() if k not in ("201", "409")}
    if statuses:
        lines += ["", f"Bookings: {booked} created (201), {taken} refused as SLOT_TAKEN (409)"
                  + (f", other statuses {others}" if others else "") + ". Every booking targets a distinct "
                  "(practitioner, slot) and patient/time pair, so a 409 is a fault, not contention."]
    if busy_others:
        lines += ["", f"**Warning:** other processes took up to {max(busy_others):.2f} cores during the "
                  "measurements; the absolute figures understate what this machine can do. Re-run on a quiet machine."]
    lines += ["", "| service | value |", "|---|---:|",
              f"| start-up (launch to first /health 200) | {args.startup:.1f} s |",
              f"| idle RSS (5 s after start-up, before data and load) | {mib(args.rss_idle_kb)} |",
              f"| RSS after the load / peak RSS (VmHWM) | {mib(args.rss_after_kb)} / {mib(args.rss_peak_kb)} |",
              "", "Machine:",
              f"- {cores} cores (`nproc`), {model}, {mib(mem_kb)} memory",
              f"- {platform.system()} {platform.release()}; load average before the run: {args.loadavg}",
              f"- {args.java}",
              f"- {output_of('psql', '-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-tAc', 'show server_version')} "
              f"PostgreSQL, {output_of('redis-server', '--version').split(' sha=')[0]}",
              "- PostgreSQL, Redis, the service and the load generators all run on this one machine.",
              "", "Gatling reports: " + ", ".join(os.path.join(r, "index.html") for r in args.report)
              + f"; pgbench logs: {args.ceiling}"]
    text = "\n".join(lines) + "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
