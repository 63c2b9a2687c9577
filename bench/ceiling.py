#!/usr/bin/env python3
"""The DB-only ceiling of `make bench`: pgbench runs each hot path's statements with no service.

For a path P, bench/ceiling/P.sql holds the statements the service sends to PostgreSQL for one
request (checked against the service by CeilingDriftCheck) and bench/ceiling/P.params.sql a query
that gives the values of request number n. Before the run this script computes those values into
a table (ceiling.P, as the database superuser, outside the measurement); the pgbench script then
fetches the values of the next BATCH requests with one primary-key lookup and runs BATCH copies of
the request's statements, each copy with its own variables. So the statements, their order, their
transactions and their round trips are the service's, and the only statement pgbench adds is that
lookup: one per BATCH requests (`-- @batch` in the params file).

Usage:
  ceiling.py setup   --clinic UUID --desk-user UUID
  ceiling.py prepare PATH --seconds S
  ceiling.py run     PATH --seconds S --warmup W --clients C --threads J --out DIR

`setup` builds the helper tables the params queries draw from (schema `ceiling`: the bench clinic's
patients, practitioners and searchable names); `prepare` computes P's values and writes the pgbench
script; `run` runs pgbench (as the service's database user, prepared statements) for W + S seconds
and writes DIR/P.json: requests/s over the last S seconds (pgbench's per-second progress, script
executions × BATCH), the script's latency and that window on the wall clock.

Connection settings from the environment, as scripts/db-init.sh: DATABASE_HOST (127.0.0.1),
DATABASE_PORT (5432), DATABASE_ADMIN_USER (postgres), DATABASE_USER (hb_app), DATABASE_PASSWORD
(hb_app_dev), BENCH_DATABASE (hb_bench).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CEILING = os.path.join(HERE, "ceiling")
HOST = os.environ.get("DATABASE_HOST", "127.0.0.1")
PORT = os.environ.get("DATABASE_PORT", "5432")
ADMIN = os.environ.get("DATABASE_ADMIN_USER", "postgres")
APP = os.environ.get("DATABASE_USER", "hb_app")
APP_PASSWORD = os.environ.get("DATABASE_PASSWORD", "hb_app_dev")
DB = os.environ.get("BENCH_DATABASE", "hb_bench")
VARIABLE = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
# Requests prepared per second of run: above any ceiling seen on 2 cores, so values are not reused
# (a path marked @unique, booking, fails rather than reuse them: its keys and slots must be new).
DEFAULTS = {"batch": 10, "rate": 6000}
SEPARATOR = "\x1f"


def psql(sql, *args, capture=False):
    cmd = ["psql", "-h", HOST, "-p", PORT, "-U", ADMIN, "-d", DB, "-v", "ON_ERROR_STOP=1", "-q", "-X", *args]
    result = subprocess.run(cmd, input=sql, text=True, capture_output=True)
    if result.returncode != 0:
        sys.exit(f"ceiling: psql failed: {result.stderr.strip()}")
    return result.stdout


def directives(text):
    """`-- @batch 10`, `-- @rate 6000`, `-- @unique`, `-- @constant a, b` lines of a params file."""
    found = dict(DEFAULTS, unique=False, constant=[])
    for m in re.finditer(r"^--[ \t]*@(\w+)[ \t]*(.*?)[ \t]*$", text, re.M):
        key, value = m.group(1), m.group(2)
        if key == "constant":
            found[key] = [c.strip() for c in value.split(",") if c.strip()]
        else:
            found[key] = int(value) if value else True
    return found


def without_comments(text):
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith("--")).strip().rstrip(";")


def setup(args):
    with open(os.path.join(CEILING, "setup.sql")) as f:
        psql(f.read(), "-v", f"clinic={args.clinic}", "-v", f"desk_user={args.desk_user}", "-v", f"app={APP}")


def prepare(args):
    path = args.path
    table = path.replace("-", "_")
    with open(os.path.join(CEILING, f"{path}.params.sql")) as f:
        params_text = f.read()
    with open(os.path.join(CEILING, f"{path}.sql")) as f:
        request_text = f.read()
    d = directives(params_text)
    batch = d["batch"]
    rows = d["rate"] * (args.seconds + 5) // batch
    query = without_comments(params_text)
    started = time.monotonic()
    # Request 0 tells the columns and the constants' values.
    first = psql(f"SELECT p.* FROM (SELECT 0::bigint AS n) AS g CROSS JOIN LATERAL ({query}) AS p",
                 "-A", "-F", SEPARATOR, "-P", "footer=off").splitlines()
    columns, values = first[0].split(SEPARATOR), first[1].split(SEPARATOR)
    unknown = [c for c in d["constant"] if c not in columns]
    if unknown:
        sys.exit(f"ceiling: {path}.params.sql: @constant names {unknown}, which its query does not give")
    # pgbench -D takes no empty value: an empty (or null) constant is fetched like the others.
    constants = {c: v for c, v in zip(columns, values) if c in d["constant"] and v != ""}
    varying = [c for c in columns if c not in constants]
    body = "\n".join(l for l in request_text.splitlines() if not l.strip().startswith("--") and l.strip())
    missing = sorted(set(VARIABLE.findall(body)) - set(columns))
    if missing:
        sys.exit(f"ceiling: {path}.sql uses :{', :'.join(missing)}, which {path}.params.sql does not give")
    # One row per request, then one per batch: request b*batch + k's values as columns <name>_<k>.
    # (One query with a lateral join per request of the batch is planned far worse.)
    aggregates = ", ".join(f"array_agg({c} ORDER BY n) AS {c}" for c in varying)
    select = ", ".join(f"a.{c}[{k + 1}] AS {c}_{k}" for k in range(batch) for c in varying)
    psql(f"""
DROP TABLE IF EXISTS ceiling.{table}, ceiling.{table}_requests;
DROP SEQUENCE IF EXISTS ceiling.{table}_next;
CREATE UNLOGGED TABLE ceiling.{table}_requests AS
  SELECT g.n, {", ".join("p." + c for c in varying)}
    FROM generate_series(0::bigint, {rows * batch - 1}) AS g(n) CROSS JOIN LATERAL ({query}) AS p;
CREATE UNLOGGED TABLE ceiling.{table} WITH (toast_tuple_target = 8160) AS
  SELECT a.b, {select} FROM (SELECT n / {batch} AS b, {aggregates} FROM ceiling.{table}_requests GROUP BY n / {batch}) AS a;
DROP TABLE ceiling.{table}_requests;
ALTER TABLE ceiling.{table} ADD PRIMARY KEY (b);
CREATE SEQUENCE ceiling.{table}_next MINVALUE 0 START 0;
GRANT SELECT ON ceiling.{table} TO {APP};
GRANT USAGE ON SEQUENCE ceiling.{table}_next TO {APP};
ANALYZE ceiling.{table};
""")
    # The sequence's value in an init plan: evaluated once, then a primary-key lookup.
    lookup = (f"select * from ceiling.{table} where b = (select nextval('ceiling.{table}_next')"
              + ("" if d["unique"] else f" % {rows}") + ") \\gset")
    script = [f"-- Generated by bench/ceiling.py from bench/ceiling/{path}.sql: {batch} requests per run of the "
              f"script, their values from ceiling.{table} ({rows} rows) and pgbench -D.", lookup]
    for k in range(batch):
        script.append(VARIABLE.sub(lambda m: f":{m.group(1)}_{k}" if m.group(1) in varying else m.group(0), body))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, f"{path}.pgbench.sql"), "w") as f:
        f.write("\n".join(script) + "\n")
    with open(os.path.join(args.out, f"{path}.prepared.json"), "w") as f:
        json.dump({"batch": batch, "requests": rows * batch, "unique": d["unique"], "constants": constants}, f)
    print(f"ceiling: {path}: the values of {rows * batch} requests prepared in {time.monotonic() - started:.1f} s")


def run(args):
    path = args.path
    with open(os.path.join(args.out, f"{path}.prepared.json")) as f:
        prepared = json.load(f)
    # On a shared server other clients may hold slots for a while: wait up to two minutes for enough.
    deadline = time.monotonic() + 120
    while True:
        free = int(psql("SELECT (SELECT setting::int FROM pg_settings WHERE name = 'max_connections')"
                        " - (SELECT setting::int FROM pg_settings WHERE name = 'superuser_reserved_connections')"
                        " - count(*) FROM pg_stat_activity", "-At").strip())
        if free >= args.clients or time.monotonic() > deadline:
            break
        time.sleep(2)
    if free < args.clients:
        sys.exit(f"ceiling: PostgreSQL has {free} free connection slots, pgbench needs {args.clients} "
                 "(other clients hold the rest; see pg_stat_activity, or set BENCH_CONNECTIONS lower)")
    # pgbench prepares each statement of the script on a connection's first run of it (hundreds
    # for ten copies of a booking): the first --warmup seconds are left out, like the service's warm-up.
    cmd = ["pgbench", "-h", HOST, "-p", PORT, "-U", APP, "-n", "-M", "prepared", "-c", str(args.clients),
           "-j", str(args.threads), "-T", str(args.warmup + args.seconds), "-P", "1",
           "-f", os.path.join(args.out, f"{path}.pgbench.sql")]
    for name, value in prepared["constants"].items():
        cmd += ["-D", f"{name}={value}"]
    cmd.append(DB)
    env = dict(os.environ, PGPASSWORD=APP_PASSWORD, PGAPPNAME=f"ceiling-{path}")
    start = time.time()
    result = subprocess.run(cmd, env=env, text=True, capture_output=True)
    end = time.time()
    out = result.stdout + result.stderr
    with open(os.path.join(args.out, f"{path}.pgbench.log"), "w") as f:
        f.write(" ".join(cmd) + "\n" + out)
    # progress: 7.0 s, 123.4 tps, lat 512.345 ms stddev 12.345, 0 failed
    progress = [(float(m.group(1)), float(m.group(2)), float(m.group(3)))
                for m in re.finditer(r"^progress: ([\d.]+) s, ([\d.]+) tps, lat ([\d.]+) ms", out, re.M)]
    measured = [p for p in progress if p[0] > args.warmup]
    failed = re.search(r"number of failed transactions: (\d+)", out)
    if result.returncode != 0 or not measured:
        hint = (" (the prepared values ran out: raise @rate in the params file)"
                if "expected one row, got 0" in out else "")
        sys.exit(f"ceiling: pgbench failed for {path}{hint}; see {args.out}/{path}.pgbench.log:\n{out[-2000:]}")
    batch = prepared["batch"]
    tps = sum(p[1] for p in measured) / len(measured)
    busy = [p for p in measured if p[1] > 0]
    figures = {"path": path, "requests_per_s": tps * batch, "scripts_per_s": tps, "batch": batch,
               "clients": args.clients, "seconds": len(measured), "warmup_seconds": args.warmup,
               "script_latency_ms": sum(p[2] for p in busy) / len(busy) if busy else None,
               "failed": int(failed.group(1)) if failed else 0,
               # the measured part, on the wall clock: the last seconds of the run
               "start": end - len(measured), "end": end}
    with open(os.path.join(args.out, f"{path}.json"), "w") as f:
        json.dump(figures, f)
    print(f"ceiling: {path}: {figures['requests_per_s']:.0f} requests/s ({args.clients} connections, "
          f"{len(measured)} s after {args.warmup} s of warm-up)")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--clinic", required=True)
    s.add_argument("--desk-user", required=True)
    for name in ("prepare", "run"):
        s = sub.add_parser(name)
        s.add_argument("path")
        s.add_argument("--seconds", type=int, required=True)
        s.add_argument("--out", default="target/bench/ceiling")
        if name == "run":
            s.add_argument("--warmup", type=int, default=5)
            s.add_argument("--clients", type=int, default=64)
            s.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    {"setup": setup, "prepare": prepare, "run": run}[args.command](args)


if __name__ == "__main__":
    main()
